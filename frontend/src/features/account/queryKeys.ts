/** Cache keys of the account pages' server data. */
export const ME_KEY = ["account", "me"];
export const ADDRESSES_KEY = ["account", "addresses"];
export const BANK_KEY = ["account", "bank"];
export const ACCOUNTS_KEY = ["account", "accounts"];
export const EMAILS_KEY = ["account", "emails"];
export const TWO_FACTOR_KEY = ["account", "two-factor"];
export const PHONE_KEY = ["account", "phone"];
