"""The queue's theme filter: one group per plan, the current plan's first, because the queue
lists proposals of every plan (an earlier plan's proposal may still await its decision)."""
from __future__ import annotations

from html.parser import HTMLParser

from tests.factories import ModeratorFactory, PlanFactory, ProposalFactory, ThemeFactory
from tests.factories import current_plan as the_current_plan


class _ThemeSelect(HTMLParser):
    """[(optgroup label, [option values])] of <select name="theme">."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.groups: list[tuple[str, list[str]]] = []
        self.ungrouped: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("name") == "theme"
        elif self.inside and tag == "optgroup":
            self.groups.append((attrs["label"], []))
        elif self.inside and tag == "option" and attrs.get("value"):
            (self.groups[-1][1] if self.groups else self.ungrouped).append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False


def theme_filter(html: str) -> _ThemeSelect:
    parser = _ThemeSelect()
    parser.feed(html)
    return parser


def test_filter_groups_themes_by_plan_current_plan_first(client, auth, db):
    current = the_current_plan()
    now_themes = [ThemeFactory(plan=current), ThemeFactory(plan=current)]
    earlier = PlanFactory(title="Tercer Plan de Acción", period="2016-2018")
    old_theme = ThemeFactory(plan=earlier, position=1)
    auth.login_as(ModeratorFactory())

    select = theme_filter(client.get("/moderation").get_data(as_text=True))

    assert select.ungrouped == []
    (first_label, first), (second_label, second) = select.groups
    assert current.title in first_label and "Plan actual" in first_label
    assert first == [t.slug for t in now_themes]
    assert second_label == "Tercer Plan de Acción (2016-2018)"
    assert second == [old_theme.slug]


def test_an_earlier_plans_proposal_can_be_found_with_its_theme(client, auth, db):
    earlier = PlanFactory(title="Tercer Plan de Acción", period="2016-2018")
    old_theme = ThemeFactory(plan=earlier)
    ProposalFactory(theme=old_theme, title="Pendiente del plan anterior")
    ProposalFactory(theme=ThemeFactory(), title="Del plan actual")
    auth.login_as(ModeratorFactory())

    page = client.get(f"/moderation?theme={old_theme.slug}").get_data(as_text=True)

    assert "Pendiente del plan anterior" in page and "Del plan actual" not in page
    assert '<span class="badge">2016-2018</span>' in page  # the row says which plan
    assert f'<option value="{old_theme.slug}" selected>' in page
