import pytest

from fogwatch.events.claims import attribution_for, doubts_previous, find_attributions, is_hypothetical
from fogwatch.text.normalize import fold


def claimants(s):
    return [(a.claimant, a.modality) for a in find_attributions(s, fold(s))]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("On February 3, the Turkish Defense Ministry reported that at least 6 were killed", ("Turkish Defense Ministry", "reported")),
        ("President Erdogan said that between 30 and 35 Syrian soldiers were killed.", ("President Erdogan", "reported")),
        ("Pro-militant sources reported that 4 Russian service members were killed.", ("pro-militant sources", "reported")),
        ("Summing up them, militants claim that over 150 soldiers were killed", ("militants", "claimed")),
        ("According to sources loyal to Idlib groups, warplanes were bombing schools", ("sources loyal to Idlib groups", "reported")),
        ("Local sources say that a post will soon be established there.", ("local sources", "reported")),
        ("The army denied that 5 civilians were killed.", ("army", "denied")),
    ],
)
def test_claimants(sentence, expected):
    assert claimants(sentence)[0] == expected


def test_author_voice_has_no_attribution():
    assert claimants("One of their attacks killed 4 Russian military personnel.") == []
    assert claimants("The Syrian side provides no official reports on militant casualties.") == []
    assert claimants("Turkey and the United States are employing active measures.") == []


def test_reportedly_and_allegedly():
    assert claimants("Militants reportedly recaptured the area.") == [(None, "reported")]
    assert claimants("The police allegedly beat the men.") == [(None, "claimed")]


def test_attribution_governs_what_follows_it():
    s = "Clashes went on; the ministry said 3 soldiers died."
    attrs = find_attributions(s, fold(s))
    assert attribution_for(attrs, s.index("3 soldiers")).claimant == "ministry"


def test_plans_threats_forecasts_and_doubt():
    assert is_hypothetical("a turkish observation post will soon be established there")
    assert is_hypothetical("erdogan threatened a full-scale military action")
    assert is_hypothetical("government forces will likely focus on the m5")
    assert not is_hypothetical("the army shelled the town and captured the hill")
    assert doubts_previous("if these claims are confirmed, the leadership will exploit this")
    assert not doubts_previous("these villages were captured")
