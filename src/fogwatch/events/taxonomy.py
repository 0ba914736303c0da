"""The ACLED taxonomy exactly as ../shared/CONTRACT.md spells it: 6 event types, 25 sub-event types."""

from __future__ import annotations

TAXONOMY: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Excessive force against protesters", "Protest with intervention", "Peaceful protest"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

EVENT_TYPES: tuple[str, ...] = tuple(TAXONOMY)
SUB_EVENT_TYPES: tuple[str, ...] = tuple(s for subs in TAXONOMY.values() for s in subs)
EVENT_TYPE_OF: dict[str, str] = {s: t for t, subs in TAXONOMY.items() for s in subs}

# CASE 2021 Task 2 codes (../shared/eval/case2021) map one to one to ACLED sub-event types.
CASE_CODES: dict[str, str] = {
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "CHEM_WEAP": "Chemical weapon",
    "AIR_STRIKE": "Air/drone strike",
    "SUIC_BOMB": "Suicide bomb",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "GRENADE": "Grenade",
    "SEX_VIOL": "Sexual violence",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "PEACE_PROTEST": "Peaceful protest",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
}
# CASE classes outside ACLED: a snippet of these types should yield no ACLED event.
CASE_NON_ACLED: tuple[str, ...] = ("MAN_MADE_DISASTER", "NATURAL_DISASTER", "DIPLO", "ATTRIB", "ORG_CRIME")

INTER_CODES: dict[int, str] = {
    1: "State forces",
    2: "Rebel groups",
    3: "Political militias",
    4: "Identity militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/other forces",
}

MODALITIES: tuple[str, ...] = ("asserted", "reported", "claimed", "denied", "hypothetical")
QUANTITIES: tuple[str, ...] = ("killed", "injured", "captured", "missing", "displaced", "destroyed", "other")

assert len(EVENT_TYPES) == 6 and len(SUB_EVENT_TYPES) == 25 and set(CASE_CODES.values()) == set(SUB_EVENT_TYPES)
