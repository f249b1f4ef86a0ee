from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cloud_event_registration_unreachable_event_type import CloudEventRegistrationUnreachableEventType

if TYPE_CHECKING:
    from ..models.registration_unreachable_data import RegistrationUnreachableData


T = TypeVar("T", bound="CloudEventRegistrationUnreachableEvent")


@_attrs_define
class CloudEventRegistrationUnreachableEvent:
    """One event in CloudEvents 1.0 structured JSON plus `seq`, as WebSocket frames,
    webhook bodies and the event log carry it. `type` selects the `data` schema.

        Attributes:
            specversion (str): Always `1.0`.
            id (str):
            source (str): Always `callplane`.
            time (datetime.datetime):
            datacontenttype (str): Always `application/json`.
            seq (int): Increases by one per event on this node; resume with `since_seq`.
            data (RegistrationUnreachableData): A device behind NAT stopped answering keep-alives: calls skip it until it
                answers or
                registers again.
            type_ (CloudEventRegistrationUnreachableEventType):  Example: registration.unreachable.
    """

    specversion: str
    id: str
    source: str
    time: datetime.datetime
    datacontenttype: str
    seq: int
    data: RegistrationUnreachableData
    type_: CloudEventRegistrationUnreachableEventType
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        specversion = self.specversion

        id = self.id

        source = self.source

        time = self.time.isoformat()

        datacontenttype = self.datacontenttype

        seq = self.seq

        data = self.data.to_dict()

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "specversion": specversion,
                "id": id,
                "source": source,
                "time": time,
                "datacontenttype": datacontenttype,
                "seq": seq,
                "data": data,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.registration_unreachable_data import RegistrationUnreachableData  # noqa: PLC0415

        d = dict(src_dict)
        specversion = d.pop("specversion")

        id = d.pop("id")

        source = d.pop("source")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        datacontenttype = d.pop("datacontenttype")

        seq = d.pop("seq")

        data = RegistrationUnreachableData.from_dict(d.pop("data"))

        type_ = CloudEventRegistrationUnreachableEventType(d.pop("type"))

        cloud_event_registration_unreachable_event = cls(
            specversion=specversion,
            id=id,
            source=source,
            time=time,
            datacontenttype=datacontenttype,
            seq=seq,
            data=data,
            type_=type_,
        )

        cloud_event_registration_unreachable_event.additional_properties = d
        return cloud_event_registration_unreachable_event

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
