import pytest

from fogwatch.events.claims import attribution_for, doubts_previous, find_attributions, is_hypothetical
from fogwatch.text.normalize import fold


def claimants(s):
    return [(a.claimant, a.modality) for a in find_attributions(s, fold(s))]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("On March 9, the Turkish Defense Ministry announced that 5 were killed", ("Turkish Defense Ministry", "reported")),
        ("President Erdogan said on Friday that between 20 and 25 enemy soldiers had died.", ("President Erdogan", "reported")),
        ("Pro-militant sources reported that 3 Iranian advisers were killed.", ("pro-militant sources", "reported")),
        ("In their statement, militants claim that over 90 troops were killed", ("militants", "claimed")),
        ("According to sources loyal to the rebels, jets were bombing bakeries", ("sources loyal to the rebels", "reported")),
        ("Local sources say that the checkpoint will reopen next week.", ("local sources", "reported")),
        ("The army denied that 5 civilians were killed.", ("army", "denied")),
    ],
)
def test_claimants(sentence, expected):
    assert claimants(sentence)[0] == expected


def test_author_voice_has_no_attribution():
    assert claimants("Their raid killed 3 soldiers near the dam.") == []
    assert claimants("The government gives no official reports on rebel losses.") == []
    assert claimants("Britain and the United States are sending more aid.") == []


def test_reportedly_and_allegedly():
    assert claimants("Militants reportedly recaptured the area.") == [(None, "reported")]
    assert claimants("The police allegedly beat the men.") == [(None, "claimed")]


def test_attribution_governs_what_follows_it():
    s = "Clashes went on; the ministry said 3 soldiers died."
    attrs = find_attributions(s, fold(s))
    assert attribution_for(attrs, s.index("3 soldiers")).claimant == "ministry"


def test_plans_threats_forecasts_and_doubt():
    assert is_hypothetical("a new army checkpoint will soon be built on the road")
    assert is_hypothetical("erdogan threatened a full-scale military action")
    assert is_hypothetical("government forces will likely focus on the m5")
    assert not is_hypothetical("the army shelled the town and captured the hill")
    assert not is_hypothetical("on may 5 airstrikes hit the town")  # the month, not the modal
    assert not is_hypothetical("protesters demanded the release of the prisoners")
    assert doubts_previous("if these claims are confirmed, the leadership will exploit this")
    assert not doubts_previous("these villages were captured")
