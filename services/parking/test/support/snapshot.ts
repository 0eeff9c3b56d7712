/**
 * "Changes nothing": the world state of the peer (every key, version and value), the chain's
 * height and the transactions submitted to the orderer, and every private-store row of every
 * organisation, as one text. Check logs are flushed first, so that only the request under test
 * could change it.
 */
import pg from 'pg';
import type { StateEntry } from '@civic/ledger';
import { ORGS, type ParkingMesh } from './parking-mesh.js';

export async function snapshot(mesh: ParkingMesh): Promise<string> {
  for (const org of ORGS) await mesh.apps[org].checkLog.log.flush();
  const state: StateEntry[] = [];
  for (let after: StateEntry | null = null; ;) {
    const page = await mesh.peer.store.statePage(
      after === null ? null : { namespace: after.namespace, key: after.key },
      1000,
    );
    state.push(...page);
    if (page.length < 1000) break;
    after = page.at(-1)!;
  }
  const client = new pg.Client({ connectionString: mesh.privateDb.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT msp_id, collection, key, subject, data::text AS data FROM parking_private ORDER BY msp_id, collection, key',
    );
    return JSON.stringify({
      height: mesh.peer.height,
      submitted: mesh.orderer.submissions.length,
      state: state.map((e) => [e.namespace, e.key, e.version, e.value]),
      private: rows,
    });
  } finally {
    await client.end();
  }
}

/** Every private-store row as text, for scanning for personal data. */
export async function privateRowsText(mesh: ParkingMesh): Promise<string> {
  const client = new pg.Client({ connectionString: mesh.privateDb.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT msp_id, collection, key, subject, data::text AS data FROM parking_private',
    );
    return JSON.stringify(rows);
  } finally {
    await client.end();
  }
}

/** The whole stored chain (every envelope of every block, headers and metadata) as text. */
export async function chainText(mesh: ParkingMesh): Promise<string> {
  const blocks = await mesh.peer.store.blocksFrom(0, mesh.peer.height + 1);
  return JSON.stringify(blocks);
}
