/**
 * Security from the views' policies: a security scheme for each kind of
 * authenticator, read from the challenge it sends (`Bearer` → HTTP bearer,
 * `Basic realm="api"` → HTTP basic, any other scheme → the `Authorization`
 * header as an API key), and whether a user who sends no credentials may
 * call an operation, found by asking the view's own permissions about an
 * anonymous request of that method.
 *
 * @module
 */

import type { Authenticator } from "../authentication.ts";
import type { Permission } from "../permissions.ts";
import { ApiContext } from "../request.ts";

/** An OpenAPI security scheme and the name it is registered under. */
export interface NamedScheme {
  /** Its name in `components.securitySchemes`, e.g. `bearerAuth`. */
  readonly name: string;
  /** The scheme. */
  readonly scheme: Record<string, unknown>;
}

// HTTP authentication schemes OpenAPI's `http` type names (IANA's registry).
const HTTP_SCHEMES = new Set(["basic", "bearer", "digest", "hoba", "mutual", "vapid"]);

/**
 * The security scheme of an authenticator, from its challenge; `undefined`
 * for one without a challenge (nothing tells how to send its credentials).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { securityScheme } from "./security.ts";
 * const basic = { authenticate: async () => null, authenticateHeader: () => 'Basic realm="api"' };
 * assertEquals(securityScheme(basic), {
 *   name: "basicAuth",
 *   scheme: { type: "http", scheme: "basic", description: 'HTTP Basic: `WWW-Authenticate: Basic realm="api"`.' },
 * });
 * assertEquals(securityScheme({ authenticate: async () => null, authenticateHeader: () => "Token" })?.scheme.type, "apiKey");
 * ```
 */
export function securityScheme(authenticator: Authenticator): NamedScheme | undefined {
  const challenge = authenticator.authenticateHeader?.(new Request("http://localhost/"));
  const keyword = challenge?.trim().split(/\s+/)[0];
  if (!challenge || !keyword) return undefined;
  const lower = keyword.toLowerCase();
  const name = `${lower.replace(/[^a-z0-9]/g, "")}Auth`;
  if (HTTP_SCHEMES.has(lower)) {
    const label = lower === "basic" ? "HTTP Basic" : keyword;
    return {
      name,
      scheme: {
        type: "http",
        scheme: lower,
        description: `${label}: \`WWW-Authenticate: ${challenge}\`.`,
      },
    };
  }
  return {
    name,
    scheme: {
      type: "apiKey",
      in: "header",
      name: "Authorization",
      description: `\`Authorization: ${keyword} <credentials>\`.`,
    },
  };
}

/**
 * Whether a request of this method without credentials passes every
 * permission (DRF's `AllowAny`, or `IsAuthenticatedOrReadOnly` for a read).
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { IsAuthenticatedOrReadOnly } from "../permissions.ts";
 * import { anonymousAllowed } from "./security.ts";
 * assertEquals(await anonymousAllowed("GET", [IsAuthenticatedOrReadOnly]), true);
 * assertEquals(await anonymousAllowed("POST", [IsAuthenticatedOrReadOnly]), false);
 * ```
 */
export async function anonymousAllowed(
  method: string,
  permissions: readonly Permission[],
): Promise<boolean> {
  const request = new Request("http://localhost/", { method });
  const context = new ApiContext(request);
  for (const permission of permissions) {
    try {
      if (!await permission.hasPermission(request, context)) return false;
    } catch {
      // A permission that needs more than an anonymous request can give
      // says nothing either way: credentials are then documented as needed.
      return false;
    }
  }
  return true;
}
