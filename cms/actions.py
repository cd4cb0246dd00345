"""Staff actions on a plugin's case (a request, a letter, a tip): one Django form and one transition per action,
the states that offer it and who may take it; and the admin's handling of a posted action.

A plugin lists its actions (`Action`), each with a form subclassing `ActionForm` (the case is `form.obj`) and a
`run(obj, user, cleaned_data)` calling its transition. `available` lists what a user may do now; `post_action`
runs one from the admin: a refused transition (a ValidationError) becomes an error message, a form with errors is
shown again on the case's page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ActionForm(forms.Form):
    """A form of one action on one case (`obj`); subclasses add their fields."""

    def __init__(self, *args: Any, obj: Any, **kwargs: Any) -> None:
        self.obj = obj
        super().__init__(*args, **kwargs)


def date_field(label: Any = None) -> forms.DateField:
    """An optional date, today when left empty."""
    return forms.DateField(
        label=label or gettext_lazy("Date"),
        required=False,
        help_text=gettext_lazy("Leave empty for today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def text_field(label: Any, required: bool = True, max_length: int = 2000, rows: int = 3) -> forms.CharField:
    """A text area of at most `max_length` characters."""
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )


def date_of(data: Mapping[str, Any], key: str = "on") -> date | None:
    """The date an action's form gave, or None (the transition then takes today)."""
    return data.get(key) or None


@dataclass(frozen=True)
class Action:
    """One action: its name (URL segment), label, form, the states that offer it, who may take it (a role the
    plugin's `may_take` understands), what it runs, whether it is dangerous, and an extra availability test."""

    name: str
    label: Any
    form_class: type[ActionForm]
    states: frozenset[str]
    who: str
    run: Callable[[Any, Any, dict[str, Any]], Any]
    danger: bool = False
    available: Callable[[Any], bool] | None = None


def offered(action: Action, obj: Any) -> bool:
    """True when the case's state offers `action`."""
    return obj.state in action.states and (action.available is None or action.available(obj))


def available(actions: Mapping[str, Action], obj: Any, user: Any, may_take: Callable) -> list[Action]:
    """The actions `user` may take on `obj` now, in the order they are listed."""
    return [a for a in actions.values() if offered(a, obj) and may_take(a, obj, user)]


def run(action: Action, obj: Any, user: Any, data: Any) -> tuple[ActionForm, Any]:
    """Validate `data` with the action's form and run it when valid: (form, result); result is None when the form
    has errors. The transition's refusal (a ValidationError) propagates."""
    form = action.form_class(data, obj=obj)
    if not form.is_valid():
        return form, None
    return form, action.run(obj, user, dict(form.cleaned_data))


def action_forms(
    actions: list[Action], obj: Any, url: Callable[[str], str], bound: Mapping[str, ActionForm] | None = None
) -> list[dict]:
    """The forms of `actions` for the case's page ({"action", "form", "url"}; `url(name)` is where each posts), a
    bound one where given. `sunlight/admin/_action_forms.html` draws them."""
    return [
        {"action": a, "form": (bound or {}).get(a.name) or a.form_class(obj=obj, prefix=a.name), "url": url(a.name)}
        for a in actions
    ]


def post_action(
    request: HttpRequest,
    obj: Any,
    name: str,
    actions: Mapping[str, Action],
    may_take: Callable,
    back: str,
    render_page: Callable[[Mapping[str, ActionForm]], HttpResponse],
    forbidden: str = "",
    wrong_state: str = "",
) -> HttpResponse:
    """Run the posted action `name` on `obj` for the admin: 404 for an unknown action; back to `back` with a message
    when it may not be taken, is not offered now, is refused by its transition, or is done; the case's page again
    (`render_page(bound forms)`) when its form has errors. Field names carry the action's prefix. `forbidden` and
    `wrong_state` (with `%(state)s`) word the refusals for the plugin's kind of case."""
    action = actions.get(name)
    if action is None:
        raise Http404
    redirect = HttpResponseRedirect(back)
    if not may_take(action, obj, request.user):
        messages.error(request, forbidden or _("You may not take this action."))
        return redirect
    if not offered(action, obj):
        message = wrong_state or _("Not possible in the state “%(state)s”.")
        messages.error(request, message % {"state": obj.get_state_display()})
        return redirect
    data = {k.removeprefix(f"{name}-"): v for k, v in request.POST.items()}
    try:
        _form, result = run(action, obj, request.user, data)
    except ValidationError as exc:
        messages.error(request, exc.messages[0] if exc.messages else str(exc))
        return redirect
    if result is None:
        messages.error(request, _("Please correct the errors in “%(action)s”.") % {"action": action.label})
        bound = action.form_class(request.POST, obj=obj, prefix=name)
        bound.is_valid()
        return render_page({name: bound})
    messages.success(request, _("Done: %(action)s.") % {"action": action.label})
    return redirect
