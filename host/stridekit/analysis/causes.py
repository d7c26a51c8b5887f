"""Every cause of back pain in the article, judged or listed, and the overall risk band.

The article (the product's brief) names: reduced thoracic mobility; muscle
imbalance and anterior pelvic tilt; overtraining or a drastic change in
training; lack of lower-limb strength; a leg-length difference (unequal stress
through the limbs); hyperlordosis and poor lumbopelvic control; toning shoes with
unstable soles; slouched posture; and the protective 150 minutes a week of
aerobic activity in bouts of >= 10 minutes. A shoe sensor measures some of these
(status "measured"); the rest are listed with what would show them ("not
measurable"). A measurable cause the data could not settle is "could not judge",
with the reason.

Scoring, transparent: each measured cause gives the points in POINTS_RULES (no
other weights); the sum maps to a band by BANDS. Causes not measured or not
judged give 0 points, and the report says the band may then be too low.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MEASURED = "measured"
NOT_MEASURABLE = "not measurable by a shoe sensor"
NOT_JUDGED = "could not judge"

BAND_NAMES = ("Low", "Low-medium", "Medium", "Medium-high", "High")
# (lowest sum of points, band)
BANDS: tuple[tuple[int, str], ...] = (
    (0, "Low"),
    (2, "Low-medium"),
    (4, "Medium"),
    (6, "Medium-high"),
    (8, "High"),
)

# cause key -> rule text per points value, shown verbatim in the report
POINTS_RULES: dict[str, dict[int, str]] = {
    "lld": {
        0: "no persistent left/right difference",
        1: "persistent asymmetry without a leg-length pattern, or a pattern under 1 cm",
        2: "leg-length pattern of 1-2 cm",
        3: "leg-length pattern of 2 cm or more",
    },
    "shoes": {
        0: "no instability pattern",
        2: "instability pattern in this session, or this shoe less stable than another in A/B",
        3: "instability pattern confirmed by the A/B comparison",
    },
    "load": {
        0: "acute:chronic ratio within 0.8-1.3, no week-to-week rise over 30 %",
        2: "ratio above 1.3 or a week-to-week rise over 30 % (Nielsen 2014)",
        3: "ratio 1.5 or more (Gabbett 2016 danger zone)",
    },
    "aerobic": {0: "150 min or more in the last 7 days in bouts of >= 10 min", 1: "under 150 min"},
    "impact": {0: "within the pod's HARD_IMPACT limits", 1: "beyond them"},
    "fatigue": {
        0: "no clear drift",
        1: "stance, cadence, loading or shock drift in the fatigued direction",
    },
}

CLINICIAN = (
    "This is not a diagnosis. It shows how you load your feet while running, and which "
    "known risk factors for back pain it can see. See a doctor or physiotherapist if you "
    "have back stiffness, a dull or shooting pain, or pain radiating to the legs, and "
    "straight away if pain comes with numbness, weakness, fever, or bladder or bowel changes."
)


@dataclass
class Cause:
    key: str
    name: str  # the article's wording
    status: str  # MEASURED / NOT_MEASURABLE / NOT_JUDGED
    finding: str  # what we found, or why not judged
    evidence: list[str] = field(default_factory=list)  # numbers
    points: int = 0
    chart: str = ""  # chart id in the report
    would_show: str = ""  # for NOT_MEASURABLE: what would show it


def band_for(points: int) -> str:
    band = BANDS[0][1]
    for lo, name in BANDS:
        if points >= lo:
            band = name
    return band


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
        "below is a hint, not a strength measure",
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
