from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sip_dialog_ids import SipDialogIds


T = TypeVar("T", bound="CallRingingData")


@_attrs_define
class CallRingingData:
    """
    Attributes:
        call_id (str):
        caller (str): The calling number (extension, or the caller id a trunk delivered).
        dialed (str): The number dialled.
        callee (str): The number that is ringing.
        click_to_call (bool | Unset): Present and true for calls placed with `POST /api/v1/calls`.
        code (int | Unset): 180 or 183, when a device answered provisionally.
        dialog (SipDialogIds | Unset): A SIP dialog's identifiers, from one party's side (RFC 3261 section 12).
    """

    call_id: str
    caller: str
    dialed: str
    callee: str
    click_to_call: bool | Unset = UNSET
    code: int | Unset = UNSET
    dialog: SipDialogIds | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        caller = self.caller

        dialed = self.dialed

        callee = self.callee

        click_to_call = self.click_to_call

        code = self.code

        dialog: dict[str, Any] | Unset = UNSET
        if not isinstance(self.dialog, Unset):
            dialog = self.dialog.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "call_id": call_id,
                "caller": caller,
                "dialed": dialed,
                "callee": callee,
            }
        )
        if click_to_call is not UNSET:
            field_dict["click_to_call"] = click_to_call
        if code is not UNSET:
            field_dict["code"] = code
        if dialog is not UNSET:
            field_dict["dialog"] = dialog

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sip_dialog_ids import SipDialogIds  # noqa: PLC0415

        d = dict(src_dict)
        call_id = d.pop("call_id")

        caller = d.pop("caller")

        dialed = d.pop("dialed")

        callee = d.pop("callee")

        click_to_call = d.pop("click_to_call", UNSET)

        code = d.pop("code", UNSET)

        _dialog = d.pop("dialog", UNSET)
        dialog: SipDialogIds | Unset
        if isinstance(_dialog, Unset):
            dialog = UNSET
        else:
            dialog = SipDialogIds.from_dict(_dialog)

        call_ringing_data = cls(
            call_id=call_id,
            caller=caller,
            dialed=dialed,
            callee=callee,
            click_to_call=click_to_call,
            code=code,
            dialog=dialog,
        )

        call_ringing_data.additional_properties = d
        return call_ringing_data

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
