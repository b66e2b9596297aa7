/** A ResourceManager resource group; each account has one default group. */
export interface ResourceGroup {
  id: string;
  accountId: string;
  name: string;
  displayName: string;
  isDefault: boolean;
  createdAt: number;
}
