"""People's suggestions (人民建议征集) for the route-enumerating access test (see
core/testing/routes.py). Published suggestions are public by design; an unpublished one of county
B must show nothing to the public, nor its proposer's data to anyone."""

from typing import Any

from minsheng.core.testing.routes import SECRET_PHONE, Public, SignedIn, StaffObject


def _unpublished_suggestion_in_county_b(world: Any) -> Any:
    from minsheng.suggestions.services import SuggestionInput, suggestion_submit

    submitted = suggestion_submit(
        data=SuggestionInput(
            title="天心区未公开的建议",
            grounds="天心区的事由。",
            measures="天心区的对策。",
            name="天心区建议人",
            phone=SECRET_PHONE,
            region=world.org.regions.b,
            allow_public=False,
        )
    )
    world.markers.append(submitted.suggestion.number)
    world.markers.append("天心区未公开的建议")
    return submitted.suggestion


OBJECTS = {"suggestion_b": _unpublished_suggestion_in_county_b}


def _suggestion(w: Any) -> dict[str, Any]:
    return {"suggestion_id": w.suggestion_b.pk}


ROUTES = [
    Public("suggestions:home", reason="open calls and published suggestions"),
    Public("suggestions:submit", reason="the suggestion form"),
    Public("suggestions:submitted", reason="the confirmation page"),
    Public("suggestions:follow", reason="asks for a query code"),
    Public("suggestions:stats", reason="public statistics"),
    Public("suggestions:campaign", reason="a call for suggestions", kwargs=lambda w: {"campaign_id": 10**9}),
    Public("suggestions:detail", reason="a published suggestion", kwargs=lambda w: {"number": w.suggestion_b.number}),
    Public(
        "suggestions:cosign",
        reason="co-signing a published suggestion",
        kwargs=lambda w: {"number": w.suggestion_b.number},
    ),
    Public(
        "suggestions:cosign_confirm",
        reason="confirming a co-signature",
        kwargs=lambda w: {"number": w.suggestion_b.number},
    ),
    Public(
        "suggestions:mine",
        reason="the proposer's page, locked without the query code",
        kwargs=lambda w: {"number": w.suggestion_b.number},
    ),
    SignedIn("suggestions_staff:list"),
    SignedIn("suggestions_staff:stats"),
    SignedIn("suggestions_staff:campaign_new"),
    StaffObject("suggestions_staff:detail", _suggestion),
    StaffObject(
        "suggestions_staff:answer",
        _suggestion,
        methods=("POST",),
        data=lambda w: {"status": "adopted", "answer": "已采纳。", "reward_note": ""},
    ),
    StaffObject("suggestions_staff:publish", _suggestion, methods=("POST",)),
]
