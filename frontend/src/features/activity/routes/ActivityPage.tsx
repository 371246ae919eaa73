import { Link, useSearchParams } from "react-router";

import type { ActivityEntry, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { EmptyState, ErrorPanel, Spinner } from "@/components/Feedback";
import { compactInputClass, textLinkClass } from "@/components/styles";
import { Title } from "@/components/Title";
import { ACTION_VERBS, AUDIT_ACTIONS } from "@/features/records/audit";
import { ActorName } from "@/features/records/components/ActorName";
import { ChangeList, EntryComment } from "@/features/records/components/ChangeList";
import { formatDateTime } from "@/features/records/times";
import { UserChip } from "@/features/people/UserChip";
import { UserPicker } from "@/features/people/UserPicker";
import { findEntityByName, recordRoute, useManifest } from "@/features/tools/api";
import { NoTools } from "@/features/tools/components/NoTools";

import { cursorOf, useActivity } from "../api";

function Entry({ entry, tools }: { entry: ActivityEntry; tools: ToolManifest[] }) {
  const target = findEntityByName(tools, entry.entity);
  const label = entry.object_label || entry.public_id;
  return (
    <li className="rounded-md border border-slate-200 bg-white p-3 text-sm">
      <p>
        <ActorName entry={entry} /> {ACTION_VERBS[entry.action]}{" "}
        {target && entry.action !== "DELETE" ? (
          <Link
            className={textLinkClass}
            to={recordRoute(target.tool, target.entity, entry.public_id)}
          >
            {label}
          </Link>
        ) : (
          <span>{label}</span>
        )}{" "}
        <span className="text-slate-500">
          in {target?.tool.name ?? entry.tool} ·{" "}
          <time dateTime={entry.timestamp}>{formatDateTime(entry.timestamp)}</time>
        </span>
      </p>
      <EntryComment entry={entry} />
      {entry.action === "UPDATE" && (
        <ChangeList entity={target?.entity ?? null} tools={tools} changes={entry.changes} />
      )}
    </li>
  );
}

function FeedFilter({
  label,
  any,
  value,
  options,
  onChange,
}: {
  label: string;
  any: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  return (
    <select
      aria-label={label}
      className={compactInputClass}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">{any}</option>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

/**
 * Every change in every tool the caller may read, newest first; for a caller who may read no
 * tool, what the front page says (the API would refuse them the feed).
 */
export function ActivityPage() {
  const manifest = useManifest();
  if (!manifest.data) return <Spinner />;
  if (manifest.data.length === 0) {
    return (
      <>
        <Title>Activity</Title>
        <NoTools />
      </>
    );
  }
  return <Feed tools={manifest.data} />;
}

function Feed({ tools }: { tools: ToolManifest[] }) {
  const [params, setParams] = useSearchParams();
  const feed = useActivity(params);

  const choose = (key: string, value: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.delete("cursor");
      if (value) next.set(key, value);
      else next.delete(key);
      return next;
    });
  const page = (cursor: string | null) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (cursor) next.set("cursor", cursor);
      else next.delete("cursor");
      return next;
    });

  return (
    <div className="space-y-4">
      <Title>Activity</Title>
      <h1 className="text-xl font-semibold">Activity</h1>
      <div className="flex flex-wrap gap-3">
        <FeedFilter
          label="Tool"
          any="Every tool"
          value={params.get("tool") ?? ""}
          options={tools.map((tool) => ({ value: tool.slug, label: tool.name }))}
          onChange={(value) => choose("tool", value)}
        />
        <FeedFilter
          label="Action"
          any="Every action"
          value={params.get("action") ?? ""}
          options={AUDIT_ACTIONS.map((action) => ({ value: action, label: ACTION_VERBS[action] }))}
          onChange={(value) => choose("action", value)}
        />
        <div className="min-w-56">
          <label htmlFor="activity-actor" className="sr-only">
            By
          </label>
          <UserPicker
            id="activity-actor"
            placeholder={params.get("actor") ? "By someone else" : "By anyone: type a name"}
            onPick={(user) => choose("actor", String(user.id))}
          />
        </div>
      </div>
      {params.get("actor") && (
        <div className="flex" data-chips>
          <UserChip
            label="By"
            id={params.get("actor") ?? ""}
            onRemove={() => choose("actor", "")}
            returnFocusTo="activity-actor"
          />
        </div>
      )}
      {feed.isError ? (
        <ErrorPanel error={feed.error} fieldMessages>
          <Button onClick={() => setParams(new URLSearchParams())}>Back to the newest</Button>
        </ErrorPanel>
      ) : !feed.data ? (
        <Spinner />
      ) : feed.data.results.length === 0 ? (
        <EmptyState
          title={params.size > 0 ? "Nothing matches these filters." : "Nothing has happened yet."}
        />
      ) : (
        <>
          <ol className={`space-y-2 ${feed.isPlaceholderData ? "opacity-60" : ""}`}>
            {feed.data.results.map((entry) => (
              <Entry key={entry.id} entry={entry} tools={tools} />
            ))}
          </ol>
          <div className="flex gap-2">
            <Button
              disabled={!feed.data.previous}
              onClick={() => page(cursorOf(feed.data.previous))}
            >
              Newer
            </Button>
            <Button disabled={!feed.data.next} onClick={() => page(cursorOf(feed.data.next))}>
              Older
            </Button>
          </div>
        </>
      )}
    </div>
  );
}
