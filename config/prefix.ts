/** Names of landing-zone resources start with this; the protect policies key on it. */
export const LZ_PREFIX = "lz-";
