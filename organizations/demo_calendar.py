"""The clock of the demo data (`manage.py seed_demo`): the demo's years are played out on plausible days, so
timelines, lateness and figures for past dates look like a real bloc's.

A demo history is a set of *stories*: generators that yield the moment of their next step, then do that step
(through the services) when resumed. `play` runs every story's steps in time order with the clock set to the
step's moment; a step later than now never happens, and neither does the rest of its story, so a demo seeded in
June shows a year in progress and no record is dated after the moment the seed ran."""

import heapq
import random
from collections.abc import Generator, Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
REVIEW_WEEKDAYS = (1, 4)  # Ban Tuyên giáo reviews what arrived on Tuesdays and Fridays

Story = Generator[datetime, None, None]


def demo_year(today: date) -> int:
    """The year every demo module calls "this year": the current one once its plans are out (from 1 April, the
    bloc's plans being dated 25/3), else the one before."""
    return today.year if today >= date(today.year, 4, 1) else today.year - 1


def play(stories: Iterable[Story], now: datetime) -> None:
    """Run the stories' steps in time order, each with the clock frozen at its moment, up to `now`."""
    queue = []
    for number, story in enumerate(stories):
        moment = next(story, None)
        if moment is not None:
            queue.append((moment, number, story))
    heapq.heapify(queue)
    while queue:
        moment, number, story = heapq.heappop(queue)
        if moment > now:
            continue  # it has not happened yet; nor has anything after it in this story
        with time_machine.travel(moment, tick=False):
            following = next(story, None)
        if following is not None:
            if following < moment:
                raise ValueError(f"Demo story steps must not go back in time ({following} < {moment}).")
            heapq.heappush(queue, (following, number, story))


def while_active(organization, story: Story) -> Story:
    """The story of one organisation, stopped at its end date (dissolved or merged): it sends nothing after."""
    for moment in story:
        if not organization.is_active_on(moment.astimezone(HCM).date()):
            return
        yield moment


def working_day(day: date, *, later: bool = False) -> date:
    """The day itself, or for a weekend the Friday before (so a send planned by a deadline stays on time), or
    with `later` the Monday after (so a late one stays late)."""
    if day.weekday() < 5:
        return day
    return day + timedelta(days=7 - day.weekday()) if later else day - timedelta(days=day.weekday() - 4)


def at_work(rng: random.Random, day: date, *, later: bool = False) -> datetime:
    """A moment within office hours of `day`, moved off a weekend as in `working_day`."""
    return datetime.combine(working_day(day, later=later), time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=HCM)


def review_moment(after: datetime) -> datetime:
    """When Ban Tuyên giáo looks at something that arrived at `after`: the next review day, mid-afternoon."""
    day = after.astimezone(HCM).date() + timedelta(days=1)
    while day.weekday() not in REVIEW_WEEKDAYS:
        day += timedelta(days=1)
    return datetime.combine(day, time(15, 0), tzinfo=HCM)


def days_spread(rng: random.Random, first: date, last: date, count: int) -> list[date]:
    """`count` days between first and last (inclusive), more of them towards the end: most units send in the
    last fortnight before a deadline. Sorted."""
    span = (last - first).days
    return sorted(first + timedelta(days=round(span * rng.random() ** 0.6)) for _ in range(count))
