"""Pagination for searches whose matches can be most of a large table (issue 13).

A search for a common word ("nguyen" matches a third of a bloc's 65,000 members) would count every match for
the pager on each page. The number of matches of a search is not a figure anyone signs, so the pager counts
at most `cap` of them and the page says "more than N": the count stops at the cap instead of reading every
match. Lists of figures (organisations, registrations, submissions) keep Django's exact Paginator."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet, Subquery


class CappedPaginator(Paginator):
    """A Paginator that counts at most `cap` rows; `capped` tells whether more matched (pages past the cap are
    not offered: the user narrows the search instead)."""

    def __init__(self, object_list, per_page, *, cap: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def counted(self) -> int:
        # The rows' order does not change how many there are: without it the database stops at cap + 1
        # matches instead of ranking them all first.
        rows = self.object_list
        if isinstance(rows, QuerySet):
            return rows.order_by().values("pk")[: self.cap + 1].count()
        return len(rows[: self.cap + 1])

    @property
    def capped(self) -> bool:
        return self.counted > self.cap

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    def page(self, number):
        """The page's rows, ranked and cut on the queryset's own table first and only then joined (the
        select_related tables), in one query: `WHERE pk IN (SELECT pk … ORDER BY … LIMIT 100 OFFSET …)`
        joins 100 rows instead of every match before the sort."""
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = rows.values("pk")[bottom:top]
        return self._get_page(rows.filter(pk__in=Subquery(ids)), number, self)
