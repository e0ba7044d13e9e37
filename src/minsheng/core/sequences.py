from __future__ import annotations

from django.db import IntegrityError, transaction

from minsheng.core.models import Sequence


def sequence_next(name: str) -> int:
    """Next value of a gap-free counter; the row lock makes concurrent callers queue."""
    with transaction.atomic():
        updated = Sequence.objects.select_for_update().filter(name=name).first()
        if updated is None:
            try:
                with transaction.atomic():
                    Sequence.objects.create(name=name, value=1)
                    return 1
            except IntegrityError:
                updated = Sequence.objects.select_for_update().get(name=name)
        updated.value += 1
        Sequence.objects.filter(name=name).update(value=updated.value)
        return updated.value
