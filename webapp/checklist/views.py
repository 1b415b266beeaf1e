"""Observationspunkter: the administrator edits the observation checklist (DOMAIN §4).

Admin only; everyone else signed in gets a 404, so the page does not reveal that it exists.
Plain forms, POST then redirect; bad input re-renders the form with a 400.
"""

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp.checklist import services
from webapp.checklist.rules import MAX_LABEL_LENGTH, Direction
from webapp.db import get_session
from webapp.domain.roles import Role
from webapp.models import ObservationItem

bp = Blueprint("checklist", __name__, url_prefix="/organisation/observationspunkter")

YES_NO = {"ja": True, "nej": False}


def admin_only(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if Role.ADMIN not in current_user.role_set:
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def _item(item_id: int) -> ObservationItem:
    item = services.get_item(get_session(), item_id)
    if item is None:
        abort(404)
    return item


def _yes_no(field: str) -> bool:
    value = YES_NO.get(request.form.get(field, ""))
    if value is None:
        abort(400)
    return value


def _index_page(label: str = "", error: str | None = None, status: int = 200):
    return render_template(
        "checklist/index.html",
        checklist=services.checklist(get_session()),
        label=label,
        error=error,
        max_label=MAX_LABEL_LENGTH,
    ), status


def _edit_page(item: ObservationItem, label: str | None = None, error: str | None = None):
    return render_template(
        "checklist/edit.html",
        item=item,
        label=item.label if label is None else label,
        error=error,
        max_label=MAX_LABEL_LENGTH,
    ), 400 if error else 200


def _back_to_list(at: ObservationItem | None = None):
    """PRG. After a move the page scrolls to the moved item; otherwise it opens at the top,
    where the flash message says what happened."""
    anchor = f"punkt-{at.id}" if at is not None else None
    return redirect(url_for("checklist.index", _anchor=anchor), 303)


@bp.get("")
@admin_only
def index():
    return _index_page()


@bp.post("")
@admin_only
def create():
    label = request.form.get("label", "")
    try:
        item = services.add_item(get_session(), label=label)
    except services.Refused as refused:
        return _index_page(label, refused.message, 400)
    flash(f"»{item.label}« er tilføjet nederst på listen.", "info")
    return _back_to_list()


@bp.get("/<int:item_id>")
@admin_only
def edit(item_id: int):
    return _edit_page(_item(item_id))


@bp.post("/<int:item_id>/tekst")
@admin_only
def rename(item_id: int):
    item = _item(item_id)
    label = request.form.get("label", "")
    try:
        services.rename_item(get_session(), item, label=label)
    except services.Refused as refused:
        return _edit_page(item, label, refused.message)
    flash(f"Teksten er nu »{item.label}«.", "info")
    return _back_to_list()


@bp.post("/<int:item_id>/tobs")
@admin_only
def set_tobs(item_id: int):
    item = _item(item_id)
    services.set_triggers_tobs(get_session(), item, _yes_no("tobs"))
    state = "beder nu om TOBS" if item.triggers_tobs else "beder ikke længere om TOBS"
    flash(f"»{item.label}« {state}.", "info")
    return _back_to_list()


@bp.post("/<int:item_id>/flyt")
@admin_only
def move(item_id: int):
    item = _item(item_id)
    try:
        direction = Direction(request.form.get("direction", ""))
    except ValueError:
        abort(400)
    try:
        services.move_item(get_session(), item, direction)
    except services.Refused as refused:
        return _edit_page(item, error=refused.message)
    return _back_to_list(item)


@bp.post("/<int:item_id>/brug")
@admin_only
def set_active(item_id: int):
    item = _item(item_id)
    try:
        services.set_active(get_session(), item, _yes_no("active"))
    except services.Refused as refused:
        return _edit_page(item, error=refused.message)
    if item.active:
        flash(f"»{item.label}« er i brug igen, nederst på listen.", "info")
    else:
        flash(f"»{item.label}« er ikke længere i brug. Tidligere observationer bevares.", "info")
    return _back_to_list()
