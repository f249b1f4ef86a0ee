from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ServiceFailedData")


@_attrs_define
class ServiceFailedData:
    """A Lua service invocation that failed; the call went on with the dial plan.

    Attributes:
        service_id (str):
        name (str):
        call_id (str):
        kind (str): `error`, `instructions`, `timeout`, `memory`, `invalid_answer` or `loop`.
        error (str):
    """

    service_id: str
    name: str
    call_id: str
    kind: str
    error: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        service_id = self.service_id

        name = self.name

        call_id = self.call_id

        kind = self.kind

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "service_id": service_id,
                "name": name,
                "call_id": call_id,
                "kind": kind,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        service_id = d.pop("service_id")

        name = d.pop("name")

        call_id = d.pop("call_id")

        kind = d.pop("kind")

        error = d.pop("error")

        service_failed_data = cls(
            service_id=service_id,
            name=name,
            call_id=call_id,
            kind=kind,
            error=error,
        )

        service_failed_data.additional_properties = d
        return service_failed_data

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
