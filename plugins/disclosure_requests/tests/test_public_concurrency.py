"""Request numbers under concurrent submissions (PostgreSQL): unique, consecutive, without gaps."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest

pytestmark = pytest.mark.postgres  # row locks: skipped on SQLite (root conftest.py)

THREADS = 20


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committed_ankang")
def test_twenty_simultaneous_submissions_get_consecutive_numbers():
    from django.core.cache import cache
    from django.db import connection as main_connection
    from django.test import Client

    from cms.models import Portal
    from plugins.disclosure_requests.models import DisclosureRequest, RequestSerial

    from .test_public_api import payload

    cache.clear()
    portal = Portal.objects.get(profile="ankang")
    year = date.today().year
    counter = RequestSerial.objects.filter(portal=portal, year=year).first()
    start = counter.last if counter else 0
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, dict]] = []
    errors: list[BaseException] = []

    def submit(i: int) -> None:
        from django.db import connection as thread_connection

        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{i + 1}")
            body = json.dumps(payload(info_title=f"并发测试{i}"))
            barrier.wait()
            response = client.post(
                "/api/disclosure_requests/requests/",
                body,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY=f"concurrency-{i}",
            )
            results.append((response.status_code, response.json()))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert [status for status, _ in results] == [201] * THREADS, results
    numbers = sorted(body["number"] for _, body in results)
    assert len(set(numbers)) == THREADS
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert serials == list(range(start + 1, start + THREADS + 1))
    assert all(number.startswith(f"依申{year}-") for number in numbers)
    assert RequestSerial.objects.get(portal=portal, year=year).last == start + THREADS
    assert DisclosureRequest.objects.filter(portal=portal, number__in=numbers).count() == THREADS
    main_connection.close()
