import { type RingGroup, createRingGroup, deleteRingGroup, listRingGroups, updateRingGroup } from '@callplane/client';

import { ask } from '../api';
import { everything } from '../parts/paging';
import { ResourcePage } from '../parts/resource_page';

export function RingGroupsPage() {
  return (
    <ResourcePage<RingGroup>
      title="Ring groups"
      noun="ring group"
      createSchema="RingGroupCreate"
      patchSchema="RingGroupPatch"
      list={() => everything(async (cursor) => ask(listRingGroups({ query: { limit: 500, cursor } })))}
      create={(body) => ask(createRingGroup({ body: body as never }))}
      update={(id, body) => ask(updateRingGroup({ path: { id }, body: body as never }))}
      remove={(id) => ask(deleteRingGroup({ path: { id } }))}
      name={(g) => g.number}
      columns={[
        { title: 'Number', value: (g) => g.number },
        { title: 'Name', value: (g) => g.name },
        { title: 'Strategy', value: (g) => g.strategy },
        { title: 'Members', value: (g) => g.members.join(', ') },
        { title: 'Fallback', value: (g) => g.fallback ?? '' },
        { title: 'Enabled', value: (g) => (g.enabled ? 'yes' : 'no') },
      ]}
    />
  );
}
