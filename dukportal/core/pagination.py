"""Pagination for searches whose matches can be most of a large table (issue 13).

A search for a common word ("nguyen" matches a third of a bloc's 65,000 members) would count every match for
the pager on each page. The number of matches of a search is not a figure anyone signs, so the member search
counts at most `cap` of them and the page says "more than N": RankedIdsPaginator's ranked ids (at most
cap + 1, read in one query that ranks only a bounded set of matches, organizations.selectors.member_search_ids)
make the count, and each page reads its 100 rows by id. Lists of figures (organisations, registrations, submissions) keep an exact
count: Django's Paginator, or IdsFirstPaginator, which cuts a page on its ids before reading its rows."""

from django.core.paginator import Paginator
from django.db.models import QuerySet, Subquery


class IdsFirstPaginator(Paginator):
    """A Paginator whose page is ranked and cut on the ids first and only then read: `WHERE pk IN (SELECT pk …
    ORDER BY … LIMIT 50 OFFSET …)`, one query. The inner query reads only the columns of the ordering and the
    filters (an index can hold them: models_danvan's registration_list_idx), the outer one the page's rows
    and their select_related tables, instead of every matching row's before the sort. Same rows, same order."""

    def page(self, number):
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = rows.values("pk")[bottom:top]
        return self._get_page(rows.filter(pk__in=Subquery(ids)), number, self)


class RankedIdsPaginator(Paginator):
    """Pages of `rows` whose ranked ids are already known: `ids` holds at most cap + 1 of them, in order. The
    count is theirs, at most `cap` (`capped`: more matched than `cap`); a page reads its rows by
    id in one query, which `rows`' own ordering keeps in the ids' order."""

    def __init__(self, ids: list, rows: QuerySet, per_page, *, cap: int, **kwargs):
        super().__init__(ids[:cap], per_page, **kwargs)
        self.rows = rows
        self.cap = cap
        self.capped = len(ids) > cap

    def page(self, number):
        page = super().page(number)
        page.object_list = self.rows.filter(pk__in=list(page.object_list))
        return page
