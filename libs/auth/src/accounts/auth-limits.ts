/** API.md Limits. Failures only count towards the login limits; successes are never limited. */
export const LOGIN_LIMITS = {
  failuresPerAccount: 10,
  failuresPerAddress: 50,
  windowMs: 15 * 60 * 1000,
} as const;
/** Abuse-level only: a venue of 200 people behind one NAT registers well within it. */
export const REGISTRATION_LIMITS = { perAddress: 1000, windowMs: 60 * 60 * 1000 } as const;
