from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TrunkQuirks")


@_attrs_define
class TrunkQuirks:
    """Per-trunk interoperability switches; each cures a symptom of a real carrier (docs/trunks.md).

    Attributes:
        register_same_call_id (bool | Unset): `false`: every REGISTER gets a new Call-ID and CSeq restarts
            (cures `400 Bad Request` / `P-Registrar-Error: Invalid CSeq number`). Default: True.
        request_uri_params (str | Unset): Appended to the Request-URI of REGISTER and INVITE, e.g. `user=phone`.
            Default: ''.
        disable_100rel (bool | Unset): Do not offer or require 100rel (cures carriers that answer PRACK with 405).
            Default: False.
        no_answer_timeout_s (int | Unset): CANCEL unanswered outbound calls after this many seconds and try the next
            route.
        accept_tel_uri (bool | Unset): Map inbound `tel:` Request-URIs and To headers to numbers. Default: True.
        force_tcp_for_large (bool | Unset): Send requests larger than 1300 bytes over TCP (RFC 3261 section 18.1.1).
            Default: True.
    """

    register_same_call_id: bool | Unset = True
    request_uri_params: str | Unset = ""
    disable_100rel: bool | Unset = False
    no_answer_timeout_s: int | Unset = UNSET
    accept_tel_uri: bool | Unset = True
    force_tcp_for_large: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        register_same_call_id = self.register_same_call_id

        request_uri_params = self.request_uri_params

        disable_100rel = self.disable_100rel

        no_answer_timeout_s = self.no_answer_timeout_s

        accept_tel_uri = self.accept_tel_uri

        force_tcp_for_large = self.force_tcp_for_large

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if register_same_call_id is not UNSET:
            field_dict["register_same_call_id"] = register_same_call_id
        if request_uri_params is not UNSET:
            field_dict["request_uri_params"] = request_uri_params
        if disable_100rel is not UNSET:
            field_dict["disable_100rel"] = disable_100rel
        if no_answer_timeout_s is not UNSET:
            field_dict["no_answer_timeout_s"] = no_answer_timeout_s
        if accept_tel_uri is not UNSET:
            field_dict["accept_tel_uri"] = accept_tel_uri
        if force_tcp_for_large is not UNSET:
            field_dict["force_tcp_for_large"] = force_tcp_for_large

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        register_same_call_id = d.pop("register_same_call_id", UNSET)

        request_uri_params = d.pop("request_uri_params", UNSET)

        disable_100rel = d.pop("disable_100rel", UNSET)

        no_answer_timeout_s = d.pop("no_answer_timeout_s", UNSET)

        accept_tel_uri = d.pop("accept_tel_uri", UNSET)

        force_tcp_for_large = d.pop("force_tcp_for_large", UNSET)

        trunk_quirks = cls(
            register_same_call_id=register_same_call_id,
            request_uri_params=request_uri_params,
            disable_100rel=disable_100rel,
            no_answer_timeout_s=no_answer_timeout_s,
            accept_tel_uri=accept_tel_uri,
            force_tcp_for_large=force_tcp_for_large,
        )

        trunk_quirks.additional_properties = d
        return trunk_quirks

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
