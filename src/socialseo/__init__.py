"""socialseo: what do social media links and engagement do for a site's search performance?

>>> import socialseo
>>> with socialseo.open(":memory:") as project:
...     project.channels().columns[:2].tolist()
['channel', 'platform']
"""

from socialseo._version import __version__
from socialseo.api import Project, open
from socialseo.errors import SocialSeoError
from socialseo.store.warehouse import ImportResult, Warehouse

__all__ = ["ImportResult", "Project", "SocialSeoError", "Warehouse", "__version__", "open"]
