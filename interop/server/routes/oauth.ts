/** `POST /oauth/token`: the client-credentials grant (see ../oauth.ts), with a form or JSON body. */
import { sendJson, type Route } from "../http";
import { OAuthError, type TokenService } from "../oauth";
import type { RequestContext } from "../http";

export function oauthRoutes(tokens: TokenService, form: (ctx: RequestContext) => Promise<unknown>): Route[] {
  return [
    {
      method: "POST",
      path: /^\/oauth\/token$/,
      scope: null,
      async handle(ctx) {
        const fields = await form(ctx);
        try {
          if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
            throw new OAuthError(
              400,
              "invalid_request",
              "Bad Request: the token request must be a form or a JSON object",
            );
          }
          const token = await tokens.issue({
            fields: fields as Record<string, unknown>,
            authorization: ctx.req.headers.authorization,
          });
          sendJson(ctx.res, 200, token, { pragma: "no-cache" });
        } catch (error) {
          if (!(error instanceof OAuthError)) throw error;
          const headers: Record<string, string> =
            error.status === 401 ? { "www-authenticate": 'Basic realm="oauth"' } : {};
          sendJson(
            ctx.res,
            error.status,
            { error: error.code, error_description: error.message, message: error.message },
            headers,
          );
        }
      },
    },
  ];
}
