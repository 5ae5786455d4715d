"""Controlled vocabularies of the case-file and plan-file contract (`case-format.md`)."""

from typing import Literal, get_args

#: The case-file version this program writes; every earlier version is read unchanged.
CASE_FORMAT_VERSION = 2

LEVELS: tuple[str, ...] = tuple(f"T{i}" for i in range(1, 13)) + tuple(f"L{i}" for i in range(1, 6))
Level = Literal[
    "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12",
    "L1", "L2", "L3", "L4", "L5",
]
Sex = Literal["female", "male"]
Mechanism = Literal["low_energy", "high_energy", "atraumatic", "unknown"]
Endplates = Literal["none", "one", "both"]
PosteriorWall = Literal["intact", "minor", "major"]
Morphology = Literal["compression", "burst", "translation_rotation", "distraction"]
Modality = Literal["radiograph", "ct", "mri", "bone_scan", "spect_ct"]
PLC = Literal["intact", "indeterminate", "injured"]
PainTrend = Literal["improving", "unchanged", "worsening"]
Analgesia = Literal["none", "non_opioid", "oral_opioid", "parenteral_opioid"]
Mobilisation = Literal["independent", "with_aid", "not_possible"]
NeuroStatus = Literal[
    "intact", "transient", "radicular", "incomplete_cord", "complete_cord", "cauda_equina", "not_examined"
]
MiOrStroke = Literal["never", "within_1_year", "over_1_year"]
Therapy = Literal[
    "none", "oral_bisphosphonate", "zoledronic_acid", "denosumab", "teriparatide", "abaloparatide", "romosozumab"
]
PriorAgent = Literal[
    "oral_bisphosphonate", "zoledronic_acid", "denosumab", "teriparatide", "abaloparatide", "romosozumab"
]
TherapyStatus = Literal["current", "stopped"]

Stability = Literal["stable", "potentially_unstable", "unstable", "indeterminate"]
Pathway = Literal[
    "emergency_referral", "red_flag_workup", "surgical_consultation", "augmentation_referral", "conservative"
]
Section = Literal[
    "red_flags", "stability", "pain", "mobility", "augmentation", "surgery", "osteoporosis", "follow_up",
    "patient_education",
]
Severity = Literal["info", "warning", "critical"]
#: now = do at this visit; next = arrange (tests, referrals, drugs to start, follow-up); info = background.
Priority = Literal["now", "next", "info"]
Agent = Literal[
    "alendronate", "risedronate", "ibandronate", "zoledronic_acid", "denosumab", "teriparatide", "abaloparatide",
    "romosozumab", "calcium", "vitamin_d", "calcitonin", "nsaid",
]
OsteoporosisStatus = Literal["treat", "defer", "not_applicable"]
PitfallCode = Literal[
    "bed_rest", "opioid_harm", "nsaid_risk", "neuro_exam_missing", "conservative_failure_risk",
    "osteoporosis_untreated", "denosumab_gap", "renal_bisphosphonate", "correct_calcium_vitamin_d",
    "hypercalcaemia", "romosozumab_cv", "malignancy_suspected", "infection_suspected",
    "augmentation_contraindicated", "augmentation_evidence", "healed_fracture", "progression",
    "framework_disagreement", "high_energy_mechanism", "secondary_cause_screen", "contradictory_inputs",
    "threshold_boundary", "outside_scope", "drug_sequence", "upper_thoracic",
]
OfClass = Literal["OF1", "OF2", "OF3", "OF4", "OF5"]
AoNeuro = Literal["N0", "N1", "N2", "N3", "N4", "NX"]

#: Pitfall codes that are red flags (with the emergency-referral pathway, what the red-flag banner shows).
RED_FLAG_PITFALLS: tuple[str, ...] = ("malignancy_suspected", "infection_suspected", "high_energy_mechanism")
#: Most urgent first: the order in which pathways outrank one another.
PATHWAY_ORDER: tuple[str, ...] = get_args(Pathway)
SECTIONS: tuple[str, ...] = get_args(Section)
SEVERITY_ORDER: tuple[str, ...] = ("critical", "warning", "info")
PRIORITY_ORDER: tuple[str, ...] = get_args(Priority)
