/** An account (a tenant): every resource belongs to one. */
export interface Account {
  id: string;
  name: string;
  createdAt: number;
}

/** An access key pair of an account. */
export interface AccountKey {
  accountId: string;
  accessKeyId: string;
  secret: string;
}

/** An account as `eniplane accounts list` shows it: one entry per key (null: an account without keys). */
export interface AccountListing extends Account {
  accessKeyId: string | null;
}
