"""og:image probes: is the image there, is it an image, and how big, from its first bytes only.

Image sizes live in the file header (PNG IHDR, JPEG SOFn, GIF, WebP), so the probe asks for the first 64 KiB
(a ``Range`` request; servers that ignore it are cut off at the same length) and lets Pillow's incremental parser
read the dimensions. A multi-megabyte hero image is never downloaded whole, and each URL is probed once per crawl.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp
from PIL import ImageFile

from socialseo.crawl.fetch import FetchLimits, HopCheck, fetch
from socialseo.crawl.policy import AddressPolicy
from socialseo.crawl.throttle import HostThrottle

HEADER_BYTES = 64 << 10


@dataclass(frozen=True)
class ImageProbe:
    url: str
    status: int | None
    content_type: str | None
    width: int | None
    height: int | None
    error: str | None


def image_size(head: bytes) -> tuple[int, int] | None:
    """Width and height read from an image's first bytes, or None if they are not an image Pillow knows."""
    parser = ImageFile.Parser()
    try:
        parser.feed(head)
    except Exception:  # Pillow raises assorted errors on bytes that are not an image
        return None
    image = parser.image
    return None if image is None else (int(image.size[0]), int(image.size[1]))


async def probe_image(
    session: aiohttp.ClientSession, url: str, limits: FetchLimits, throttle: HostThrottle | None = None, *,
    policy: AddressPolicy, hop_check: HopCheck | None = None,
) -> ImageProbe:
    """Fetch at most :data:`HEADER_BYTES` of ``url`` (within ``policy``) and read its type and size."""
    result = await fetch(
        session, url, limits, throttle, policy=policy, max_bytes=HEADER_BYTES,
        headers={"Range": f"bytes=0-{HEADER_BYTES - 1}"}, hop_check=hop_check,
    )
    status = result.status
    if result.error and not result.truncated:
        return ImageProbe(url, status, result.content_type, None, None, result.error)
    if status is None or status >= 400:
        return ImageProbe(url, status, result.content_type, None, None, f"status {status}")
    size = image_size(result.body)
    if size is None:
        return ImageProbe(url, status, result.content_type, None, None, "not a readable image")
    return ImageProbe(url, status, result.content_type, size[0], size[1], None)
