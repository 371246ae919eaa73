/**
 * A fake Linear on 127.0.0.1, for the suite to create and read issues through its real client:
 * a GraphQL endpoint executing the part of Linear's schema the suite uses (graphql-js, so a
 * query Linear would refuse as invalid is refused here too), one team and its workflow, issues
 * kept in memory. Node's built-ins and graphql only.
 *
 *   POST /graphql                   Linear's API, with Linear's API key (`Authorization: <key>`,
 *                                   or `Bearer <key>`); a wrong key is Linear's authentication error
 *   GET  /<team>/issue/<identifier> the issue's page, where an issue's `url` points (not linear.app)
 *   GET  /__e2e/issues              the issues created, with the input each was created from
 *   POST /__e2e/fail-next           `{"message"}`: the next issueCreate fails with Linear's
 *                                   "invalid input" error saying that message
 *   POST /__e2e/lose-answers        `{"count"}`: the next `count` GraphQL requests are done, then
 *                                   their connections dropped unanswered (an issue made, its
 *                                   answer lost; Linear unreachable for the search that follows)
 *
 * As Linear, issueCreate takes the issue's `id` (a UUID v4) and refuses one an issue has.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";

import { buildSchema, graphql, GraphQLError } from "graphql";

import { escapeHtml, listen, readBody, sendHtml, sendJson, sendPage } from "../auth0/http";

export interface FakeLinearOptions {
  port: number;
  apiKey: string;
  team: { id: string; key: string; name: string };
}

/** Linear's kinds of workflow state. */
type StateType = "triage" | "backlog" | "unstarted" | "started" | "completed" | "canceled";

interface WorkflowState {
  id: string;
  name: string;
  type: StateType;
  color: string;
  position: number;
}

interface IssueCreateInput {
  id?: string | null;
  teamId: string;
  title?: string | null;
  description?: string | null;
  priority?: number | null;
}

export interface FakeIssue {
  id: string;
  identifier: string;
  number: number;
  title: string;
  description: string | null;
  priority: number;
  url: string;
  state: WorkflowState;
  createdAt: string;
  updatedAt: string;
  /** What the suite sent, as it sent it. */
  input: IssueCreateInput;
}

/** The part of Linear's schema (https://studio.apollographql.com/public/Linear-API) the suite uses. */
const SCHEMA = buildSchema(`
  scalar DateTime

  type Query {
    viewer: User!
    team(id: String!): Team!
    issue(id: String!): Issue!
  }

  type Mutation {
    issueCreate(input: IssueCreateInput!): IssuePayload!
  }

  input IssueCreateInput {
    id: String
    teamId: String!
    title: String
    description: String
    priority: Int
    projectId: String
    stateId: String
    assigneeId: String
    labelIds: [String!]
  }

  type IssuePayload {
    success: Boolean!
    issue: Issue
    lastSyncId: Float!
  }

  type User {
    id: ID!
    name: String!
    email: String!
  }

  type Team {
    id: ID!
    key: String!
    name: String!
    states: WorkflowStateConnection!
  }

  type WorkflowStateConnection {
    nodes: [WorkflowState!]!
  }

  type WorkflowState {
    id: ID!
    name: String!
    type: String!
    color: String!
    position: Float!
  }

  type Issue {
    id: ID!
    identifier: String!
    number: Float!
    title: String!
    description: String
    priority: Float!
    priorityLabel: String!
    url: String!
    state: WorkflowState!
    team: Team!
    createdAt: DateTime!
    updatedAt: DateTime!
  }
`);

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const PRIORITY_LABELS = ["No priority", "Urgent", "High", "Medium", "Low"];

const WORKFLOW: Omit<WorkflowState, "id">[] = [
  { name: "Backlog", type: "backlog", color: "#bec2c8", position: 0 },
  { name: "Todo", type: "unstarted", color: "#e2e2e2", position: 1 },
  { name: "In Progress", type: "started", color: "#f2c94c", position: 2 },
  { name: "Done", type: "completed", color: "#5e6ad2", position: 3 },
  { name: "Canceled", type: "canceled", color: "#95a2b3", position: 4 },
];

/** An error as Linear words one: the message, and what its clients show the user. */
function linearError(message: string, type: string, code: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { type, code, userError: true, userPresentableMessage: message },
  });
}

const entityNotFound = (entity: string) =>
  linearError(`Entity not found: ${entity}`, "invalid input", "INVALID_INPUT");

export class FakeLinear {
  readonly url: string;
  readonly issues: FakeIssue[] = [];
  private readonly options: FakeLinearOptions;
  private readonly states: WorkflowState[];
  private failNext: string | null = null;
  private answersToLose = 0;
  private server: Server | null = null;

  constructor(options: FakeLinearOptions) {
    this.options = options;
    this.url = `http://127.0.0.1:${options.port}`;
    this.states = WORKFLOW.map((state) => ({ ...state, id: randomUUID() }));
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) =>
        sendJson(res, 500, { errors: [{ message: String(error) }] }),
      );
    });
    await listen(server, this.options.port);
    this.server = server;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  private get team() {
    const { id, key, name } = this.options.team;
    return { id, key, name, states: { nodes: this.states } };
  }

  private findIssue(id: string): FakeIssue {
    const issue = this.issues.find((candidate) =>
      [candidate.id, candidate.identifier].includes(id),
    );
    if (!issue) throw entityNotFound("Issue");
    return issue;
  }

  /** The issue as the schema reads it. */
  private present(issue: FakeIssue) {
    return {
      ...issue,
      priorityLabel: PRIORITY_LABELS[issue.priority] ?? "No priority",
      team: this.team,
    };
  }

  private readonly root = {
    viewer: () => ({ id: randomUUID(), name: "Toolsuite e2e", email: "e2e@toolsuite.test" }),
    team: ({ id }: { id: string }) => {
      if (id !== this.options.team.id) throw entityNotFound("Team");
      return this.team;
    },
    issue: ({ id }: { id: string }) => this.present(this.findIssue(id)),
    issueCreate: ({ input }: { input: IssueCreateInput }) => {
      const refusal = this.failNext;
      this.failNext = null;
      if (refusal) throw linearError(refusal, "invalid input", "INVALID_INPUT");
      if (input.teamId !== this.options.team.id) throw entityNotFound("Team");
      if (!input.title)
        throw linearError("title must be a string", "invalid input", "INVALID_INPUT");
      if (input.id != null && !UUID_V4.test(input.id))
        throw linearError("id must be a UUID", "invalid input", "INVALID_INPUT");
      if (input.id != null && this.issues.some((issue) => issue.id === input.id))
        throw linearError("Entity already exists: Issue", "invalid input", "INVALID_INPUT");
      const number = this.issues.length + 1;
      const identifier = `${this.options.team.key}-${number}`;
      const now = new Date().toISOString();
      const issue: FakeIssue = {
        id: input.id ?? randomUUID(),
        identifier,
        number,
        title: input.title,
        description: input.description ?? null,
        priority: input.priority ?? 0,
        url: `${this.url}/${this.options.team.key.toLowerCase()}/issue/${identifier}`,
        state: this.states.find((state) => state.type === "unstarted") ?? this.states[0]!,
        createdAt: now,
        updatedAt: now,
        input,
      };
      this.issues.push(issue);
      return { success: true, issue: this.present(issue), lastSyncId: number };
    },
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    if (req.method === "POST" && url.pathname === "/graphql") return this.graphql(req, res);
    if (req.method === "GET" && url.pathname === "/__e2e/issues") {
      return sendJson(res, 200, this.issues);
    }
    if (req.method === "POST" && url.pathname === "/__e2e/lose-answers") {
      const { count } = JSON.parse((await readBody(req)) || "{}") as { count?: number };
      this.answersToLose = count ?? 1;
      return sendJson(res, 200, { loseAnswers: this.answersToLose });
    }
    if (req.method === "POST" && url.pathname === "/__e2e/fail-next") {
      const { message } = JSON.parse((await readBody(req)) || "{}") as { message?: string };
      this.failNext = message ?? "Something went wrong";
      return sendJson(res, 200, { failNext: this.failNext });
    }
    const page = /^\/[a-z]+\/issue\/([A-Z]+-\d+)$/.exec(url.pathname);
    const issue = page && this.issues.find((candidate) => candidate.identifier === page[1]);
    if (req.method === "GET" && issue) {
      return sendHtml(
        res,
        200,
        `<h1>${escapeHtml(issue.identifier)} ${escapeHtml(issue.title)}</h1>` +
          `<p>${escapeHtml(issue.state.name)}</p><pre>${escapeHtml(issue.description ?? "")}</pre>`,
      );
    }
    sendPage(res, 404, "Not found", `${req.method} ${url.pathname}`);
  }

  private async graphql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (key !== this.options.apiKey) {
      const error = linearError(
        "Authentication required, not authenticated",
        "authentication error",
        "AUTHENTICATION_ERROR",
      );
      return sendJson(res, 400, { errors: [error.toJSON()] });
    }
    const { query, variables, operationName } = JSON.parse(await readBody(req)) as {
      query: string;
      variables?: Record<string, unknown>;
      operationName?: string;
    };
    const result = await graphql({
      schema: SCHEMA,
      source: query,
      rootValue: this.root,
      variableValues: variables,
      operationName,
    });
    if (this.answersToLose > 0) {
      this.answersToLose -= 1;
      res.socket?.destroy();
      return;
    }
    // Linear answers a request it refuses, in whole or in part, with 400.
    sendJson(res, result.errors ? 400 : 200, result);
  }
}
