import { isUniqueViolation } from "../db/errors.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { cursorKinds, decodeCursor, toPage, type Page, type PageQuery } from "../pagination.ts";
import { teamRepository, type TeamRow } from "../repositories/team-repository.ts";
import type { Actor, ServiceDeps } from "./context.ts";

export interface TeamView {
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export function teamView(t: TeamRow): TeamView {
  return { name: t.name, description: t.description, createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString() };
}

/** Teams: created and changed by the platform team (the route declares platform-admin). */
export class TeamService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(actor: Actor, input: { name: string; description?: string }): Promise<TeamView> {
    try {
      return await this.deps.db.$transaction(async (tx) => {
        const team = teamView(await teamRepository.create(tx, { name: input.name, description: input.description ?? "" }));
        await this.deps.audit.record(tx, { ...actor, action: "team.create", resourceType: "team", resourceId: team.name, after: team });
        return team;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`team ${input.name} already exists; choose another name or update it with PATCH /api/v1/teams/${input.name}`);
      throw error;
    }
  }

  async get(name: string): Promise<TeamView> {
    return teamView(await this.require(name));
  }

  async list(page: PageQuery): Promise<Page<TeamView>> {
    const rows = await teamRepository.list(this.deps.db, decodeCursor(page.cursor, cursorKinds.name), page.limit + 1);
    const p = toPage(rows, page.limit, (t) => t.name);
    return { items: p.items.map(teamView), nextCursor: p.nextCursor };
  }

  async update(actor: Actor, name: string, input: { description?: string }): Promise<TeamView> {
    return this.deps.db.$transaction(async (tx) => {
      const before = await teamRepository.findByName(tx, name);
      if (!before) throw notFound(name);
      const after = teamView(await teamRepository.update(tx, before.id, input));
      await this.deps.audit.record(tx, { ...actor, action: "team.update", resourceType: "team", resourceId: name, before: teamView(before), after });
      return after;
    });
  }

  async delete(actor: Actor, name: string): Promise<void> {
    await this.deps.db.$transaction(async (tx) => {
      const team = await teamRepository.findByName(tx, name);
      if (!team) throw notFound(name);
      const dependents = await teamRepository.dependents(tx, team.id);
      if (dependents.length > 0) {
        throw new ConflictError(`team ${name} still has ${dependents.join(", ")}; delete or reassign them first`, { dependents });
      }
      await teamRepository.delete(tx, team.id);
      await this.deps.audit.record(tx, { ...actor, action: "team.delete", resourceType: "team", resourceId: name, before: teamView(team) });
    });
    this.deps.authenticator.invalidate();
  }

  async require(name: string): Promise<TeamRow> {
    const team = await teamRepository.findByName(this.deps.db, name);
    if (!team) throw notFound(name);
    return team;
  }
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`team ${name} does not exist; list teams with GET /api/v1/teams`);
}
