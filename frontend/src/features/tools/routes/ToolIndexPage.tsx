import { Link } from "react-router";

import { Spinner } from "@/components/Feedback";
import { ToolIcon } from "@/components/ToolIcon";
import { Title } from "@/components/Title";

import { entityRoute, useManifest } from "../api";
import { NoTools } from "../components/NoTools";

/** The front page: every tool the caller may use. */
export function ToolIndexPage() {
  const manifest = useManifest();
  if (!manifest.data) return <Spinner />;
  if (manifest.data.length === 0) return <NoTools />;
  return (
    <div>
      <Title>Tools</Title>
      <h1 className="text-xl font-semibold">Tools</h1>
      <ul className="mt-4 grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {manifest.data.map((tool) => (
          <li key={tool.slug} className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
            <h2 className="flex items-center gap-2 font-medium">
              <ToolIcon name={tool.icon} className="size-5 text-indigo-600" />
              {tool.name}
            </h2>
            <p className="mt-1 text-sm text-slate-600">{tool.description}</p>
            <ul className="mt-3 flex flex-wrap gap-2">
              {tool.entities.map((entity) => (
                <li key={entity.name}>
                  <Link
                    className="text-sm font-medium text-indigo-700 hover:underline"
                    to={entityRoute(tool, entity)}
                  >
                    {entity.label_plural} →
                  </Link>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
