"""Every output path as a link from the page being rendered: templates and theme write these, never a path."""

from __future__ import annotations

from dataclasses import dataclass

from ..core import urls
from .environment import Md, safe_path


@dataclass(frozen=True)
class Links:
    """Links from one page (`page`, relative to the docs folder) to the site's files, from `urls` alone."""

    page: str

    def to(self, target: str) -> Md:
        return safe_path(urls.relative(self.page, target))

    @property
    def home(self) -> Md:
        return self.to(urls.HOME_PAGE)

    @property
    def site_feed(self) -> Md:
        return self.to(urls.feed())

    @property
    def reviews_feed(self) -> Md:
        return self.to(urls.feed(urls.REVIEWS_FEED))

    @property
    def calendar(self) -> Md:
        return self.to(urls.CALENDAR)

    @property
    def api_schema(self) -> Md:
        return self.to(urls.API_SCHEMA)

    @property
    def production_table(self) -> Md:
        return self.to(urls.PRODUCTION_TABLE)

    @property
    def data_page(self) -> Md:
        return self.to(urls.DATA_PAGE)

    @property
    def about_page(self) -> Md:
        return self.to(urls.ABOUT_PAGE)

    @property
    def timeline(self) -> Md:
        return self.to(urls.index_page(urls.TIMELINE))

    def index(self, collection: str) -> Md:
        return self.to(urls.index_page(collection))

    def api_index(self, collection: str) -> Md:
        return self.to(urls.api_index(collection))

    def api_document(self, collection: str, record_id: str) -> Md:
        return self.to(urls.api_document(collection, record_id))

    def table(self, collection: str) -> Md:
        return self.to(urls.table(collection))

    def feed_of(self, mineral_id: str) -> Md:
        return self.to(urls.feed(mineral_id))

    def policy_calendar(self, policy_id: str) -> Md:
        return self.to(urls.policy_calendar(policy_id))

    def editor_schema(self, collection: str) -> Md:
        return self.to(urls.editor_schema(collection))


class Patterns:
    """The site's paths with a placeholder for the id, as the data page shows them."""

    api_index = Md(urls.api_index("<collection>"))
    api_document = Md(urls.api_document("<collection>", "<id>"))
    mineral_feed = Md(urls.feed("<mineral id>"))
    policy_calendar = Md(urls.policy_calendar("<measure id>"))
