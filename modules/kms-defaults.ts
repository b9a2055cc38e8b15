// What every customer-managed KMS key of the landing zone shares, merged under each key's own
// description and policy (as AWS Solutions Constructs keep a service's defaults in one place).
export const KMS_KEY_DEFAULTS = {
  /** Yearly automatic rotation: old material stays available for decryption. */
  enableKeyRotation: true,
  /** The longest wait AWS allows before a key scheduled for deletion is gone. */
  deletionWindowInDays: 30,
} as const;
