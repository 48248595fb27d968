import type { RequestContext } from "../route.ts";
import type { Actor } from "../../services/context.ts";

export function actorOf(ctx: RequestContext): Actor {
  return { subject: ctx.principal.subject, subjectKind: ctx.principal.kind, requestId: ctx.requestId };
}
