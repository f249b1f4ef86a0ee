from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """One event for one webhook, and how delivering it went.

    Attributes:
        id (str): Also the `webhook-id` header: the same on every attempt.
        webhook_id (str):
        event_id (str):
        event_type (str):
        seq (int):
        state (str): pending, delivered or failed.
        attempts (int):
        next_attempt_at (datetime.datetime):
        created_at (datetime.datetime):
        last_status (int | Unset):
        last_error (str | Unset):
        last_latency_ms (int | Unset):
    """

    id: str
    webhook_id: str
    event_id: str
    event_type: str
    seq: int
    state: str
    attempts: int
    next_attempt_at: datetime.datetime
    created_at: datetime.datetime
    last_status: int | Unset = UNSET
    last_error: str | Unset = UNSET
    last_latency_ms: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        webhook_id = self.webhook_id

        event_id = self.event_id

        event_type = self.event_type

        seq = self.seq

        state = self.state

        attempts = self.attempts

        next_attempt_at = self.next_attempt_at.isoformat()

        created_at = self.created_at.isoformat()

        last_status = self.last_status

        last_error = self.last_error

        last_latency_ms = self.last_latency_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "webhook_id": webhook_id,
                "event_id": event_id,
                "event_type": event_type,
                "seq": seq,
                "state": state,
                "attempts": attempts,
                "next_attempt_at": next_attempt_at,
                "created_at": created_at,
            }
        )
        if last_status is not UNSET:
            field_dict["last_status"] = last_status
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if last_latency_ms is not UNSET:
            field_dict["last_latency_ms"] = last_latency_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        webhook_id = d.pop("webhook_id")

        event_id = d.pop("event_id")

        event_type = d.pop("event_type")

        seq = d.pop("seq")

        state = d.pop("state")

        attempts = d.pop("attempts")

        next_attempt_at = datetime.datetime.fromisoformat(d.pop("next_attempt_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        last_status = d.pop("last_status", UNSET)

        last_error = d.pop("last_error", UNSET)

        last_latency_ms = d.pop("last_latency_ms", UNSET)

        delivery = cls(
            id=id,
            webhook_id=webhook_id,
            event_id=event_id,
            event_type=event_type,
            seq=seq,
            state=state,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            created_at=created_at,
            last_status=last_status,
            last_error=last_error,
            last_latency_ms=last_latency_ms,
        )

        delivery.additional_properties = d
        return delivery

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
