/**
 * The benchmark's matrix: the algorithm families, the two workloads, and the
 * endpoints, ours and the references it builds itself.
 */
export const FAMILIES = ['HS256', 'RS256', 'ES256'] as const;
export type Family = (typeof FAMILIES)[number];

/** warm: 32 tokens reused over and over; cold: a distinct token on every request. */
export type Workload = 'warm' | 'cold';
export const WORKLOADS: readonly Workload[] = ['warm', 'cold'];

export type EndpointId = 'ceiling' | 'proxy-ceiling' | 'decode-only' | 'naive' | 'ours-tutorial' | 'ours-uncached' | 'ours-proxied' | 'node-peer';

export interface Endpoint {
  id: EndpointId;
  label: string;
  /** The path on the server that answers it, per family. */
  path(family: Family): string;
  /** On the Node peer's port rather than NGINX's. */
  onNodePeer: boolean;
  /** Refuses a forged token (the probe checks 401). */
  verifies: boolean;
  /** Answers `X-MESSAGE: Success <sub>` (the probe checks it). */
  tutorialContract: boolean;
  /** Our gateway: its worker's memory is reported, and it must never see a cold token twice (it caches). */
  ours: boolean;
}

export const CEILING: Endpoint = {
  id: 'ceiling',
  label: 'NGINX return 200 (ceiling)',
  path: () => '/bench/ceiling',
  onNodePeer: false,
  verifies: false,
  tutorialContract: false,
  ours: false,
};

/** What /api/ could do at best: the same proxying to the same API, with no authentication. */
export const PROXY_CEILING: Endpoint = {
  id: 'proxy-ceiling',
  label: 'NGINX proxy to the API, no auth',
  path: () => '/bench/proxy-ceiling',
  onNodePeer: false,
  verifies: false,
  tutorialContract: false,
  ours: false,
};

/** Measured per family and workload, in this order. */
export const ENDPOINTS: readonly Endpoint[] = [
  {
    id: 'decode-only',
    label: "tutorial's njs, decode only",
    path: () => '/bench/decode-only',
    onNodePeer: false,
    verifies: false,
    tutorialContract: true,
    ours: false,
  },
  {
    id: 'naive',
    label: 'naive njs, verify per request',
    path: (family) => `/bench/naive/${family.toLowerCase()}`,
    onNodePeer: false,
    verifies: true,
    tutorialContract: true,
    ours: false,
  },
  { id: 'ours-tutorial', label: 'ours: / (token cache, verifier)', path: () => '/', onNodePeer: false, verifies: true, tutorialContract: true, ours: true },
  {
    id: 'ours-uncached',
    label: 'ours: njs alone, no cache',
    path: () => '/bench/ours-uncached',
    onNodePeer: false,
    verifies: true,
    tutorialContract: true,
    ours: true,
  },
  {
    id: 'ours-proxied',
    label: 'ours: /api/ (auth_request + proxy)',
    path: () => '/api/bench',
    onNodePeer: false,
    verifies: true,
    tutorialContract: true,
    ours: true,
  },
  { id: 'node-peer', label: 'Node node:http + jose', path: () => '/', onNodePeer: true, verifies: true, tutorialContract: true, ours: false },
];
