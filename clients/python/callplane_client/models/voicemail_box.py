from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VoicemailBox")


@_attrs_define
class VoicemailBox:
    """An extension's voicemail box. Calls reach it through a forwarding field set to
    `voicemail`.

        Attributes:
            has_pin (bool): Whether a PIN is set.
            enabled (bool | Unset): Whether the box takes messages (default true). Default: True.
            max_message_s (int | Unset): The longest message, in seconds (5–600, default 120): recording stops there.
                Default: 120.
            email (str | Unset): Where new messages are e-mailed (voicemail to e-mail).
            attach (bool | Unset): Attach the recording to the e-mail. Default: False.
            delete_after_email (bool | Unset): Delete the message once e-mailed. Default: False.
            pin (str | Unset): The PIN for listening from a phone (4–10 digits; write-only, stored hashed). Omitted
                when the box is changed: the PIN stays.
    """

    has_pin: bool
    enabled: bool | Unset = True
    max_message_s: int | Unset = 120
    email: str | Unset = UNSET
    attach: bool | Unset = False
    delete_after_email: bool | Unset = False
    pin: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        has_pin = self.has_pin

        enabled = self.enabled

        max_message_s = self.max_message_s

        email = self.email

        attach = self.attach

        delete_after_email = self.delete_after_email

        pin = self.pin

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "has_pin": has_pin,
            }
        )
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if max_message_s is not UNSET:
            field_dict["max_message_s"] = max_message_s
        if email is not UNSET:
            field_dict["email"] = email
        if attach is not UNSET:
            field_dict["attach"] = attach
        if delete_after_email is not UNSET:
            field_dict["delete_after_email"] = delete_after_email
        if pin is not UNSET:
            field_dict["pin"] = pin

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        has_pin = d.pop("has_pin")

        enabled = d.pop("enabled", UNSET)

        max_message_s = d.pop("max_message_s", UNSET)

        email = d.pop("email", UNSET)

        attach = d.pop("attach", UNSET)

        delete_after_email = d.pop("delete_after_email", UNSET)

        pin = d.pop("pin", UNSET)

        voicemail_box = cls(
            has_pin=has_pin,
            enabled=enabled,
            max_message_s=max_message_s,
            email=email,
            attach=attach,
            delete_after_email=delete_after_email,
            pin=pin,
        )

        voicemail_box.additional_properties = d
        return voicemail_box

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
