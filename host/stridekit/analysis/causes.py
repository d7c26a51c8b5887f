"""Every cause of back pain in the article, judged or listed, and the count of risk factors seen.

The article (the product's brief) names: reduced thoracic mobility; muscle
imbalance and anterior pelvic tilt; overtraining or a drastic change in
training; lack of lower-limb strength; a leg-length difference (unequal stress
through the limbs); hyperlordosis and poor lumbopelvic control; toning shoes with
unstable soles; slouched posture; and the protective 150 minutes a week of
aerobic activity in bouts of >= 10 minutes. A shoe sensor measures some of these
(status "measured"); the rest are listed with what would show them ("not
measurable"). A measurable cause the data could not settle is "could not judge",
with the reason.

The summary is a count, not a grade: how many of the risk factors the pods can
measure were seen in this run (FACTOR_RULES says when each counts as seen), on a
scale named for what it is (SCALE_NAME). The article's five categories (Low ...
High) are levels of medical urgency (its High means intensive care); they are
shown only as the article's guide to symptoms and what to do (URGENCY_GUIDE),
never assigned from gait data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MEASURED = "measured"
NOT_MEASURABLE = "not measurable"
NOT_JUDGED = "could not judge"
STATUS_TEXT = {
    MEASURED: "measured",
    NOT_MEASURABLE: "not measurable by a shoe sensor",
    NOT_JUDGED: "could not judge",
}

SCALE_NAME = "Risk factors seen by the pods"
NONE_SEEN = "none seen"

# cause key -> when it counts as a risk factor seen (shown verbatim in the report).
# Only these causes are counted; the order is the report's.
FACTOR_RULES: dict[str, str] = {
    "lld": (
        "a leg-length loading pattern, or left/right loading more unequal than in healthy people"
    ),
    "shoes": (
        "the footwear instability pattern in this run, or this shoe less stable than another "
        "shoe of the same runner (A/B comparison)"
    ),
    "load": (
        "acute:chronic ratio above 1.3 over 28 days of history (Gabbett 2016), or more than "
        "30 % more running in the last 7 days than in the 7 before (Nielsen 2014)"
    ),
    "impact": "loading rate or shoe shock beyond the pod's HARD_IMPACT limits",
    "fatigue": "two or more of stance, cadence, loading rate and shock drift the fatigued way",
}
# Shown, never counted: the pods see recorded runs only, so fewer minutes there is
# no evidence of too little activity.
INFO_RULES: dict[str, str] = {
    "aerobic": (
        "shown for information, not counted: the pods see recorded runs only, not other activity"
    ),
}

NOT_A_DIAGNOSIS = "Not a diagnosis."
CLINICIAN = (
    "This report shows how you load your feet while running, and which known risk factors "
    "for back pain the shoe pods can see. See a doctor or physiotherapist if you have back "
    "stiffness, a dull or shooting pain, or pain radiating to the legs."
)
RED_FLAGS = (
    "Get medical help straight away if back pain comes with numbness, weakness, fever, "
    "or bladder or bowel changes."
)

# The article's five categories, in our words: (category, what it means, example
# symptoms, what to do). Levels of medical urgency, from symptoms, never from gait.
URGENCY_GUIDE: tuple[tuple[str, str, str, str], ...] = (
    (
        "Low",
        "managed by avoiding the movement or load that brings it on, or with "
        "over-the-counter pain relief",
        "stiffness or a dull ache after running that eases with rest",
        "ease off the stressor (volume, shoes, the movement); see a physiotherapist if it "
        "keeps coming back",
    ),
    (
        "Low-medium",
        "usually managed by a doctor as an outpatient, sometimes with prescription medication",
        "pain that returns or worsens with running, lifting or bending; muscle aches",
        "see a doctor or physiotherapist; switch to lower-impact exercise meanwhile",
    ),
    (
        "Medium",
        "may need a doctor's visit or a hospital stay; prescription medication possible",
        "severe or constant pain; shooting pain radiating to the thigh, knee, calf or toes",
        "see a doctor soon and stop running through the pain",
    ),
    (
        "Medium-high",
        "hospital care or urgent intervention: not life-threatening, but get help now",
        "pain with numbness or weakness in a leg, or with fever",
        "get medical help straight away",
    ),
    (
        "High",
        "serious, potentially lethal complications: emergency care, often intensive care",
        "loss of bladder or bowel control, numbness between the legs, weakness in both legs",
        "emergency: call the emergency number or go to an emergency department now",
    ),
)
URGENCY_NOTE = (
    "The article sorts back problems into five categories by how urgent their care is. "
    "Shoe pods cannot place you in any of them: they see how you load your feet, not your "
    "symptoms. Use the table with your symptoms."
)


@dataclass
class Cause:
    key: str
    name: str  # the article's wording
    status: str  # MEASURED / NOT_MEASURABLE / NOT_JUDGED
    finding: str  # what we found, or why not judged
    evidence: list[str] = field(default_factory=list)  # the numbers as text lines
    seen: bool = False  # the risk factor was seen in this run (FACTOR_RULES)
    chart: str = ""  # chart id in the report
    would_show: str = ""  # for NOT_MEASURABLE: what would show it
    values: dict[str, object] = field(default_factory=dict)  # the numbers as fields
    uncertainty: dict[str, object] = field(default_factory=dict)  # e.g. 95 % intervals

    @property
    def risk_factor(self) -> bool:
        """Counted on the scale (a measurable risk factor), as opposed to shown for information."""
        return self.key in FACTOR_RULES


def level(seen: int) -> str:
    """The scale's level for a count of risk factors seen ("none seen" is the lowest)."""
    return NONE_SEEN if seen == 0 else f"{seen} seen"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


NOT_MEASURABLE_CAUSES: tuple[tuple[str, str, str], ...] = (
    (
        "thoracic",
        "Reduced thoracic mobility",
        "a clinician's thoracic rotation and extension tests, or a trunk-worn motion sensor",
    ),
    (
        "pelvis",
        "Muscle imbalance and anterior pelvic tilt",
        "pelvic tilt from a pelvis-worn IMU or motion capture; hip-flexor length (Thomas "
        "test) and strength tests by a physiotherapist",
    ),
    (
        "lordosis",
        "Hyperlordosis and poor lumbopelvic control",
        "lumbar curve assessment and lumbopelvic control tests (e.g. active straight-leg "
        "raise) by a physiotherapist; a lower-back motion sensor while running",
    ),
    (
        "strength",
        "Lack of lower-limb strength",
        "dynamometry or functional tests (single-leg squat, hop tests); the fatigue drift "
        "above is a hint, not a strength measure",
    ),
    (
        "posture",
        "Slouched posture",
        "posture assessment by a clinician, video, or a trunk-worn sensor",
    ),
)


def not_measurable() -> list[Cause]:
    return [
        Cause(key, name, NOT_MEASURABLE, "not measured by shoe pods", would_show=what)
        for key, name, what in NOT_MEASURABLE_CAUSES
    ]
