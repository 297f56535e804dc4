"""Impact figures in general forms (extractive9): counts and trouble in other languages, a
tally that puts the count after its noun, a share of a whole, an amount that goes on with the
statement before it. Sentences written for the test, with a near miss beside each."""

from __future__ import annotations

from app.engines.extractive.chat import Chat
from app.engines.extractive.impact import find_impact
from app.models import Message, Transcript


def impact(*texts: str) -> list[str]:
    messages = [
        Message(id=n, time=f"10:{n:02d}", author="mira", text=text, line_start=n, line_end=n)
        for n, text in enumerate(texts, start=1)
    ]
    chat = Chat.of(Transcript(format="test", messages=messages))
    return [f.text.rstrip(".") for f in find_impact(chat, set())]


def test_a_count_of_failed_orders_in_spanish_german_or_french_is_impact() -> None:
    assert impact("1.204 pedidos rechazados entre las 9 y las 10") == [
        "1.204 pedidos rechazados entre las 9 y las 10"
    ]
    assert impact("rund 640 Bestellungen fehlgeschlagen") == [
        "Rund 640 Bestellungen fehlgeschlagen"
    ]
    assert impact("312 commandes échouées") == ["312 commandes échouées"]
    assert impact("el deploy tardó 12 minutos") == []  # a duration of work, no one affected


def test_a_tally_with_the_count_after_its_noun_is_impact() -> None:
    assert impact("customers: 2,417 (double-charged)") == ["customers: 2,417 (double-charged)"]
    assert impact("replicas: 12") == []


def test_a_share_of_all_of_something_is_impact() -> None:
    assert impact("41% of all bookings in the window") == ["41% of all bookings in the window"]
    assert impact("cpu at 41% of all cores") == []


def test_an_amount_right_after_the_statement_goes_with_it() -> None:
    found = impact("Números: 902 pagos fallidos. importe total ~€64k")
    assert found == ["Números: 902 pagos fallidos. Importe total ~€64k"]
