"""The pages every kind of submission has, once: list, create, edit, detail with the review actions, and the POST
actions (send, return, accept — or reopen an accepted item —, attach, withdraw, delete a draft). A feature app
describes its kind with a `SubmissionPages` and gets the views from `kind_views(pages)` and the URLs from
`submission_urls(pages, …)`; it subclasses a view only for what its kind really does differently (a staff
form, extra context for its body), and adds the pages no other kind has (a model's lineage, a committee).

Templates: `submissions/submission_detail.html` and `submissions/submission_form.html`; a kind's own template
extends them and fills the blocks `breadcrumbs`, `subtitle`, `badges`, `body`, `extra_actions`,
`after_actions` (detail) or `heading`, `notice`, `fields` (form)."""

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path
from django.views.generic import TemplateView

from dukportal.core import prepared
from dukportal.core.forms import add_service_errors
from organizations import access
from organizations.models import BaseOrganization

from .. import idempotency, revisions, timeline
from ..forms import show_field_comments
from ..views import answer_replay, saved_message
from .actions import ACTION_SEGMENTS, ACTIONS, action_views, review_context, save_attach_send


@dataclass(frozen=True, kw_only=True)
class SubmissionPages:
    """One kind of submission's pages, declared by the app that owns the kind.

    URL names are `<namespace>:<name>` (detail), `<namespace>:<name>_create` (takes the parent's pk),
    `<namespace>:<name>_edit` and `<namespace>:<name>_<action>`. `create(actor=, parent=, organization=, token=,
    **fields)` and `update(actor=, submission=, **fields)` are the kind's services; `submit(actor=, submission=)`
    its send when it checks more than the shared one (a signed file, a complete committee)."""

    namespace: str
    name: str
    noun: str  # Vietnamese, for titles: "kế hoạch thực hiện QCDC"
    form_class: type[BaseForm] | None
    visible: Callable[[Any], QuerySet[Any]]
    parent_model: type[Model]  # what the create URL's pk names: a campaign, a cycle, a period
    parent_attr: str  # the submission's field holding it ("campaign", "cycle", "round")
    # The parents a user may create under (others: 404); None: every one of parent_model.
    parent_visible: Callable[[Any], QuerySet[Any]] | None = None
    create: Callable[..., Any]
    update: Callable[..., Any]
    submit: Callable[..., Any] | None = None
    deadline: Callable[[Any], Any] | None = None  # submission → its Deadline, for "nộp muộn n ngày"
    describe: Callable[[Any], str] = str  # what a saved message names: "đăng ký mô hình “…”"
    one_per_parent: bool = False  # an officer's create page opens their existing item instead
    # Staff correct a sent item in place (a new kept version). False where figures are read from the sent
    # versions and a sent item changes only by being returned and sent again (periodic indicator reports).
    staff_edits_sent: bool = True
    show_diffs: bool = True  # the timeline shows what changed field by field between versions
    list_template: str = "submissions/submission_list.html"
    form_template: str = "submissions/submission_form.html"
    detail_template: str = "submissions/submission_detail.html"
    context_name: str = ""  # the kind's own name for the item in its templates ("registration"), besides "submission"
    extra_fields: tuple[str, ...] = field(default=())  # form fields passed to the services besides Meta.fields
    # Set when `visible(user)` is exactly `access.scope(model.objects.all(), user)` with `select_related` of
    # these foreign keys (one level): the detail and edit pages then read the item by id with SQL compiled once
    # per process (dukportal.core.prepared; the ORM built it for ~1 ms of CPU a request, issue 13) and check the
    # scope in Python (access.may_read_organization on its organization). None: through `visible`.
    prepared_related: tuple[str, ...] | None = None

    @property
    def model(self) -> type[Model]:
        """The kind's model, from its model form (a kind with a form built at run time sets `form_class` None
        and builds its form and instance itself)."""
        meta = getattr(self.form_class, "_meta", None)
        assert meta is not None, f"{self.name}: no model form"
        model: type[Model] = meta.model
        return model

    @property
    def fields(self) -> tuple[str, ...]:
        meta = getattr(self.form_class, "Meta", None)
        return (*getattr(meta, "fields", ()), *self.extra_fields)

    @property
    def urls(self) -> dict[str, str]:
        """URL names of this kind's views, for templates ({% url urls.submit submission.pk %})."""
        prefix = f"{self.namespace}:{self.name}"
        return {"detail": prefix, **{action: f"{prefix}_{action}" for action in ("create", "edit", *ACTIONS)}}

    def parent_of(self, submission: Any) -> Any:
        return getattr(submission, self.parent_attr)

    def after_delete_url(self, submission: Any) -> str:
        """A deleted draft's page is gone: back to its parent's page."""
        return str(self.parent_of(submission).get_absolute_url())

    def parent_item(self, pk: int) -> Any:
        """`get_object_or_404(parent_model, pk=pk)`, prepared as `visible_item` when the kind opted in."""
        if self.prepared_related is None:
            return get_object_or_404(self.parent_model, pk=pk)
        if not 0 < pk < 2**63:
            raise Http404
        model = self.parent_model
        found = prepared.instances(
            ("submission parent", model._meta.label),
            model,
            lambda parent_id: model._default_manager.filter(pk=parent_id),
            pk,
        )
        if not found:
            raise Http404
        return found[0]

    def visible_item(self, user: Any, pk: int) -> Any:
        """`access.get_visible_or_404(visible(user), user, pk=pk)`: through a prepared query when the kind says
        its `visible` is the plain scope (`prepared_related`); the same row, related rows and 404s."""
        if self.prepared_related is None:
            return access.get_visible_or_404(self.visible(user), user, pk=pk)
        if not 0 < pk < 2**63:
            raise Http404  # no row can have that id (the ORM's answer: none)
        model = self.model
        found: list[Any] = prepared.instances(
            ("submission item", model._meta.label, self.prepared_related),
            model,
            lambda item_id: model._default_manager.filter(pk=item_id),
            pk,
            related=self.prepared_related,
        )
        # scope()'s rule for one row: readers every row, an officer the rows of their organisation, others none.
        if not found or not access.may_read_organization(user, found[0].organization_id):
            raise Http404
        return found[0]


class _KindView(access.RoleRequiredMixin, TemplateView):
    pages: SubmissionPages  # set by kind_views()

    def parent_context(self, parent: Any) -> dict[str, Any]:
        return {"parent": parent, self.pages.parent_attr: parent, "urls": self.pages.urls, "pages": self.pages}

    def item_context(self, submission: Any) -> dict[str, Any]:
        names = {"submission": submission}
        if self.pages.context_name:
            names[self.pages.context_name] = submission
        return names


class SubmissionListView(_KindView):
    """A parent's items of this kind the user may see, a page at a time. `rows()` filters from the query string."""

    paginate_by = 50
    paginator_class = Paginator

    def get_template_names(self) -> list[str]:
        return [self.template_name or self.pages.list_template]

    def rows(self, parent: Any) -> QuerySet[Any]:
        return self.pages.visible(self.request.user).filter(**{self.pages.parent_attr: parent})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        parent = self.pages.parent_item(kwargs["pk"])
        page = self.paginator_class(self.rows(parent), self.paginate_by).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            **self.parent_context(parent), page=page, submissions=page.object_list, **kwargs
        )


class _FormView(_KindView):
    """What the create and edit pages share: the form, its sequence (save → attach → send) and its answer."""

    claim_token = False  # an edit claims the form's token in the sequence; a create passes it to its service

    def get_template_names(self) -> list[str]:
        return [self.template_name or self.pages.form_template]

    def fields_of(self, form: BaseForm) -> dict[str, Any]:
        """The services' keyword arguments from a valid form."""
        return {name: form.cleaned_data[name] for name in self.pages.fields}

    def is_valid(self, form: BaseForm) -> bool:
        """False: show the form again. A kind whose service validates (and whose draft may be incomplete)
        runs the form's cleaning and goes on."""
        return form.is_valid()

    def get_target(self) -> Any:
        """The parent an item is created under, or the item edited."""
        raise NotImplementedError

    def make_form(self, target: Any, data: Any = None, files: Any = None) -> BaseForm:
        raise NotImplementedError

    def write(self, target: Any, form: BaseForm) -> Any:
        """The kind's create or update service, from a valid form."""
        raise NotImplementedError

    def render_form(self, target: Any, form: BaseForm) -> HttpResponse:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        target = self.get_target()
        return self.render_form(target, self.make_form(target))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Save → attach → send, all or nothing; the loser of a double click gets the winner's page."""
        earlier = idempotency.earlier_post(request)
        if earlier is not None and (replayed := answer_replay(request, earlier)):
            return replayed
        target = self.get_target()
        form = self.make_form(target, request.POST, request.FILES)
        if not self.is_valid(form):
            return self.render_form(target, form)
        try:
            submission = save_attach_send(
                request,
                lambda: self.write(target, form),
                form.cleaned_data.get("attachment"),
                submit=self.pages.submit,
                claim_token=self.claim_token,
            )
        except ValidationError as error:
            if replayed := answer_replay(request, error):
                return replayed
            add_service_errors(form, error)
            return self.render_form(target, form)
        messages.success(request, saved_message(request, self.pages.describe(submission), submission))
        return redirect(submission)

    def form_context(self, context: dict[str, Any]) -> dict[str, Any]:
        """More for the template (a kind's sections, a report kind), from the page's context with its form."""
        return context


class SubmissionCreateView(_FormView):
    """An officer creates their organisation's item; staff choose the organisation (when the form can)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated:
            access.require_writer(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_target(self) -> Any:
        pages = self.pages
        if pages.parent_visible is None:
            return pages.parent_item(self.kwargs["pk"])
        return get_object_or_404(pages.parent_visible(self.request.user), pk=self.kwargs["pk"])

    def make_form(self, parent: Any, data: Any = None, files: Any = None) -> BaseForm:
        user = self.request.user
        assert self.pages.form_class is not None, f"{self.pages.name}: make_form() builds the form"
        organization = user.organization if access.is_officer(user) else None
        instance = self.pages.model(**{self.pages.parent_attr: parent, "organization": organization})
        form = self.pages.form_class(data, files, instance=instance)  # type: ignore[call-arg]
        if access.is_staff(user) and hasattr(form, "add_organization_field"):
            # Those counted as expected for the parent's year: the organisations active during it.
            year = parent.year
            form.add_organization_field(BaseOrganization.objects.active_during(year), user=user, year=year)
        return form

    def existing(self, parent: Any) -> Any:
        """The officer's own item of this parent, when a kind has one per organisation."""
        user = self.request.user
        if not (self.pages.one_per_parent and access.is_officer(user)):
            return None
        queryset = self.pages.visible(user).filter(
            **{self.pages.parent_attr: parent, "organization_id": user.organization_id}, **self.existing_filter()
        )
        return queryset.exclude(status="withdrawn").first()  # a withdrawn one does not stand in the way

    def existing_filter(self) -> dict[str, Any]:
        """More that makes an item the officer's one (a report's kind): nothing by default."""
        return {}

    def organization_of(self, form: BaseForm) -> Any:
        user = access.signed_in(self.request)
        return form.cleaned_data.get("organization") if access.is_staff(user) else user.organization

    def write(self, parent: Any, form: BaseForm) -> Any:
        return self.pages.create(
            actor=self.request.user,
            parent=parent,
            organization=self.organization_of(form),
            token=idempotency.token_of(self.request),
            **self.fields_of(form),
        )

    def render_form(self, parent: Any, form: BaseForm) -> HttpResponse:
        context = self.form_context({**self.parent_context(parent), "form": form, "submission": None})
        return self.render_to_response(self.get_context_data(**context))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if existing := self.existing(self.get_target()):
            return redirect(existing)
        return super().get(request, *args, **kwargs)


class SubmissionUpdateView(_FormView):
    """The owner changes a draft or a returned item; staff also a sent one where the kind allows it."""

    claim_token = True

    def get_target(self) -> Any:
        user = access.signed_in(self.request)
        access.require_writer(user)
        submission = self.pages.visible_item(user, self.kwargs["pk"])
        if submission.is_editable_by_organization:
            return submission
        if access.is_staff(user) and self.pages.staff_edits_sent:
            return submission
        raise PermissionDenied

    def make_form(self, submission: Any, data: Any = None, files: Any = None) -> BaseForm:
        assert self.pages.form_class is not None, f"{self.pages.name}: make_form() builds the form"
        # A copy for a post: the form writes into it, the service compares with the stored row (it reads it again,
        # locked). A copy of the row just read rather than a second read of it.
        instance = copy.copy(submission) if data is not None else submission
        return self.pages.form_class(data, files, instance=instance)  # type: ignore[call-arg]

    def write(self, submission: Any, form: BaseForm) -> Any:
        return self.pages.update(actor=self.request.user, submission=submission, **self.fields_of(form))

    def render_form(self, submission: Any, form: BaseForm) -> HttpResponse:
        show_field_comments(form, revisions.open_field_comments(submission))
        parent = self.pages.parent_of(submission)
        context = self.form_context({**self.parent_context(parent), **self.item_context(submission), "form": form})
        return self.render_to_response(self.get_context_data(**context))


class SubmissionDetailView(_KindView):
    """An item with its review actions, the same on every kind (review_context); `extra_context_for()` adds
    what the kind's body shows."""

    def get_template_names(self) -> list[str]:
        return [self.template_name or self.pages.detail_template]

    def extra_context_for(self, submission: Any) -> dict[str, Any]:
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        pages = self.pages
        submission = pages.visible_item(user, kwargs["pk"])
        # The deadline only tells how late the first sending was: a never-sent item needs no query for it.
        sent = timeline.first_sent_at(submission) is not None
        context = review_context(
            user,
            submission,
            urls=pages.urls,
            deadline=pages.deadline(submission) if pages.deadline and sent else None,
            staff_edits_sent=pages.staff_edits_sent,
        )
        context.update(self.parent_context(pages.parent_of(submission)), **self.item_context(submission))
        context["diffs"] = (
            revisions.version_diffs(submission, kept=context["revisions"], files=context["every_file"])
            if pages.show_diffs
            else []
        )
        context.update(self.extra_context_for(submission))
        return super().get_context_data(**context, **kwargs)


def kind_views(pages: SubmissionPages, **overrides: type) -> dict[str, type]:
    """The view classes of one kind, keyed "list", "create", "edit", "detail" and by action. `overrides`: a
    kind's subclass of a generic view under the same key (its `pages` is set here)."""
    generic: Mapping[str, type[_KindView]] = {
        "list": SubmissionListView,
        "create": SubmissionCreateView,
        "edit": SubmissionUpdateView,
        "detail": SubmissionDetailView,
    }
    views: dict[str, type] = {
        key: type(f"{pages.name}_{key}", (overrides.get(key, base),), {"pages": pages}) for key, base in generic.items()
    }
    views.update(
        action_views(
            name=pages.name,
            visible=pages.visible,
            after_delete_url=pages.after_delete_url,
            submit=pages.submit,
        )
    )
    return views


def submission_urls(
    views: Mapping[str, type], pages: SubmissionPages, *, segment: str, create: str, list_route: str = ""
) -> list[URLPattern]:
    """The kind's URLs: `create` (a route with the parent's <int:pk>), `<segment>/<pk>/` for the detail, and
    `<segment>/<pk>/sua/`, `…/gui/`, `…/tra-lai/` … for the edit page and the actions; `list_route` (with the
    parent's <int:pk>) when the kind has a list page."""
    name = pages.name
    patterns = [
        path(create, views["create"].as_view(), name=f"{name}_create"),  # type: ignore[attr-defined]
        path(f"{segment}/<int:pk>/", views["detail"].as_view(), name=name),  # type: ignore[attr-defined]
        path(f"{segment}/<int:pk>/sua/", views["edit"].as_view(), name=f"{name}_edit"),  # type: ignore[attr-defined]
    ]
    patterns += [
        path(f"{segment}/<int:pk>/{ACTION_SEGMENTS[action]}/", views[action].as_view(), name=f"{name}_{action}")  # type: ignore[attr-defined]
        for action in ACTIONS
    ]
    if list_route:
        patterns.append(path(list_route, views["list"].as_view(), name=f"{name}s"))  # type: ignore[attr-defined]
    return patterns
