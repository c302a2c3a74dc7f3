/**
 * TDX: tdx_sept_remove_private_spte() must BLOCK, TRACK, TDH.MEM.PAGE.REMOVE, WBINVD and clear a
 * page before the host reuses it; if removal fails the VM is bugged and the page must never be
 * freed or converted. The mirror SPTE and the S-EPT entry must agree.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'TDX page removal and clearing',
  question: 'Can a TD page reach the host, or be made shared, without being removed from the S-EPT and cleared?',
  bounds: { pages: 2, ops: { fault: 2, convert: 1, tdxRemoveFail: 1, populate: 1 }, faultType: 'private' },
  designs: ['upstream-tdx', 'in-place-tdx', 'tdx-convert-after-failed-removal', 'tdx-premap'],
  properties: [
    'tdx-page-removed-and-cleared-before-free', 'tdx-mirror-matches-sept',
    'no-private-access-after-shared-conversion', 'every-operation-ends', 'no-deadlock',
  ],
  unlike: {
    'tdx-convert-after-failed-removal': {
      'tdx-page-removed-and-cleared-before-free': 'violated',
    },
    'tdx-premap': {
      'tdx-mirror-matches-sept': 'violated',
    },
  },
});
