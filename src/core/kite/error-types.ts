/** Kite's error types and the HTTP status Kite answers each with (FACTS.md, "Requests and errors"). */
export const KITE_ERROR_STATUS = {
  TokenException: 403,
  PermissionException: 403,
  InputException: 400,
  OrderException: 400,
  MarginException: 400,
  HoldingException: 400,
  NetworkException: 503,
  DataException: 502,
  GeneralException: 500,
} as const;

export type KiteErrorType = keyof typeof KITE_ERROR_STATUS;
