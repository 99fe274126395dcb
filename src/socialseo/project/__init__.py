"""The parts of the one door, :class:`socialseo.api.Project`, by topic; each is a class the Project inherits."""
