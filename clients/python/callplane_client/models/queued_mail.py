from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="QueuedMail")


@_attrs_define
class QueuedMail:
    """A voicemail e-mail in the queue.

    Attributes:
        id (str):
        message_id (str): The voicemail message it carries.
        to (str):
        created_at (datetime.datetime):
        attempts (int):
        next_attempt_at (datetime.datetime):
        last_error (str | Unset):
    """

    id: str
    message_id: str
    to: str
    created_at: datetime.datetime
    attempts: int
    next_attempt_at: datetime.datetime
    last_error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        message_id = self.message_id

        to = self.to

        created_at = self.created_at.isoformat()

        attempts = self.attempts

        next_attempt_at = self.next_attempt_at.isoformat()

        last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "message_id": message_id,
                "to": to,
                "created_at": created_at,
                "attempts": attempts,
                "next_attempt_at": next_attempt_at,
            }
        )
        if last_error is not UNSET:
            field_dict["last_error"] = last_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        message_id = d.pop("message_id")

        to = d.pop("to")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        attempts = d.pop("attempts")

        next_attempt_at = datetime.datetime.fromisoformat(d.pop("next_attempt_at"))

        last_error = d.pop("last_error", UNSET)

        queued_mail = cls(
            id=id,
            message_id=message_id,
            to=to,
            created_at=created_at,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            last_error=last_error,
        )

        queued_mail.additional_properties = d
        return queued_mail

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
