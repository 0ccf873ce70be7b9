import { allauth, api } from "../../api/clients";
import { ApiError, unwrap } from "../../api/errors";
import type { components as Aapoon } from "../../api/generated/aapoon";
import type { components as Allauth } from "../../api/generated/allauth";

export type Me = Aapoon["schemas"]["MeOut"];
export type MePatch = Aapoon["schemas"]["MePatch"];
export type Address = Aapoon["schemas"]["AddressOut"];
export type AddressIn = Aapoon["schemas"]["AddressIn"];
export type BankAccount = Aapoon["schemas"]["BankAccountOut"];
export type BankAccountIn = Aapoon["schemas"]["BankAccountIn"];
export type Account = Aapoon["schemas"]["AccountOut"];
export type AccountPatch = Aapoon["schemas"]["AccountPatch"];
export type EmailAddress = Allauth["schemas"]["EmailAddress"];
type Authenticator = Allauth["schemas"]["AuthenticatorList"][number];
type PhoneNumber = Allauth["schemas"]["PhoneNumber"];

/** One page of a list endpoint: `?limit=&offset=` in, `{items, count}` out. */
export type PageQuery = { limit: number; offset: number };
export type Page<T> = { items: T[]; count: number };

/** Answers 404 with "nothing yet" instead of an error. */
async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

// Profile
export const getMe = () => unwrap(api.GET("/api/v1/me"));
export const updateMe = (body: MePatch) => unwrap(api.PATCH("/api/v1/me", { body }));
export const AVATAR_URL = "/api/v1/me/avatar";
export const uploadAvatar = (file: File) =>
  unwrap(
    api.POST("/api/v1/me/avatar", {
      body: { file: file as unknown as string }, // the schema types a binary field as string
      bodySerializer: (body) => {
        const form = new FormData();
        form.append("file", body.file as unknown as File);
        return form;
      },
    }),
  );
export const removeAvatar = () => unwrap(api.DELETE("/api/v1/me/avatar"));

// Addresses
export const listAddresses = (query: PageQuery) => unwrap(api.GET("/api/v1/me/addresses", { params: { query } }));
export const createAddress = (body: AddressIn) => unwrap(api.POST("/api/v1/me/addresses", { body }));
export const updateAddress = (id: string, body: AddressIn) =>
  unwrap(api.PATCH("/api/v1/me/addresses/{address_id}", { params: { path: { address_id: id } }, body }));
export const deleteAddress = (id: string) =>
  unwrap(api.DELETE("/api/v1/me/addresses/{address_id}", { params: { path: { address_id: id } } }));

// Bank account
export const getBankAccount = () => orNull(unwrap(api.GET("/api/v1/me/bank-account")));
export const setBankAccount = (body: BankAccountIn) => unwrap(api.PUT("/api/v1/me/bank-account", { body }));

// Organisation
export const listAccounts = (query: PageQuery) => unwrap(api.GET("/api/v1/accounts", { params: { query } }));
export const updateAccount = (id: string, body: AccountPatch) =>
  unwrap(api.PATCH("/api/v1/accounts/{account_id}", { params: { path: { account_id: id } }, body }));

// Security (allauth)
const base = "/_allauth/browser/v1" as const;

export const changePassword = (body: { current_password?: string; new_password: string }) =>
  unwrap(allauth.POST(`${base}/account/password/change`, { body }));
export const listEmails = async () => (await unwrap(allauth.GET(`${base}/account/email`))).data;
export const changeEmail = (email: string) => unwrap(allauth.POST(`${base}/account/email`, { body: { email } }));
export const verifyEmailChange = (code: string) =>
  unwrap(allauth.POST(`${base}/auth/email/verify`, { body: { key: code } }));

export async function getTwoFactor(): Promise<{ totp: boolean; recoveryCodes: boolean }> {
  const authenticators: Authenticator[] = (await unwrap(allauth.GET(`${base}/account/authenticators`))).data;
  return {
    totp: authenticators.some((a) => a.type === "totp"),
    recoveryCodes: authenticators.some((a) => a.type === "recovery_codes"),
  };
}

/** A new TOTP secret to set up (allauth answers 404 "not set up yet" with it). */
export async function startTotpSetup(): Promise<{ secret: string; totpUrl: string }> {
  const { error, response } = await allauth.GET(`${base}/account/authenticators/totp`);
  if (response.status === 404 && error && "meta" in error) {
    return { secret: error.meta.secret, totpUrl: error.meta.totp_url };
  }
  throw new ApiError(response.status, error);
}
export const activateTotp = (code: string) =>
  unwrap(allauth.POST(`${base}/account/authenticators/totp`, { body: { code } }));
export const deactivateTotp = () => unwrap(allauth.DELETE(`${base}/account/authenticators/totp`));
export const getRecoveryCodes = async () =>
  (await unwrap(allauth.GET(`${base}/account/authenticators/recovery-codes`))).data.unused_codes;
export const regenerateRecoveryCodes = () => unwrap(allauth.POST(`${base}/account/authenticators/recovery-codes`));

// Phone number (allauth): a verified number can sign in by SMS code
export const getPhone = async (): Promise<PhoneNumber | null> =>
  (await unwrap(allauth.GET(`${base}/account/phone`))).data[0] ?? null;
export const changePhone = (phone: string) => unwrap(allauth.POST(`${base}/account/phone`, { body: { phone } }));
export const verifyPhone = (code: string) => unwrap(allauth.POST(`${base}/auth/phone/verify`, { body: { code } }));
