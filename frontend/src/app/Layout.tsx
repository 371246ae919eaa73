/** The frame of every page: the tools the caller may use down the side, who they are on top. */
import { Activity, LogOut, Menu } from "lucide-react";
import { NavLink, Outlet, useLocation } from "react-router";

import type { ToolManifest } from "@/api/types";
import { ErrorPanel } from "@/components/Feedback";
import { ToolIcon } from "@/components/ToolIcon";
import { entityRoute, useManifest, useMe } from "@/features/tools/api";

import { useSession } from "./auth";

function navClass({ isActive }: { isActive: boolean }): string {
  return `flex items-center gap-2 rounded-md px-2 py-1.5 text-sm ${
    isActive ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-700 hover:bg-slate-100"
  }`;
}

function ToolNav({ tools }: { tools: ToolManifest[] }) {
  return (
    <nav aria-label="Tools" className="space-y-4">
      {tools.map((tool) => (
        <div key={tool.slug}>
          <p className="flex items-center gap-2 px-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            <ToolIcon name={tool.icon} className="size-4" />
            {tool.name}
          </p>
          <ul className="mt-1 space-y-0.5">
            {tool.entities.map((entity) => (
              <li key={entity.name}>
                <NavLink className={navClass} to={entityRoute(tool, entity)}>
                  {entity.label_plural}
                </NavLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

/** On a narrow screen the side bar is hidden: the same links, behind a menu button. */
function MobileMenu({ tools }: { tools: ToolManifest[] }) {
  const location = useLocation();
  return (
    <details key={location.pathname} className="relative md:hidden">
      <summary className="flex cursor-pointer list-none items-center gap-2 font-semibold">
        <Menu className="size-5" aria-hidden="true" /> Toolsuite
      </summary>
      <div className="absolute left-0 z-10 mt-2 w-64 space-y-3 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
        <NavLink className={navClass} to="/activity">
          <Activity className="size-4" aria-hidden="true" /> Activity
        </NavLink>
        <ToolNav tools={tools} />
      </div>
    </details>
  );
}

function UserMenu() {
  const { devMode, signOut } = useSession();
  const me = useMe();
  return (
    <div className="flex items-center gap-3 text-sm text-slate-600">
      {devMode && (
        <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">
          DEV_MODE
        </span>
      )}
      <span>{me.data?.name}</span>
      {signOut && (
        <button className="flex items-center gap-1 hover:text-slate-900" onClick={signOut}>
          <LogOut className="size-4" aria-hidden="true" /> Sign out
        </button>
      )}
    </div>
  );
}

export function Layout() {
  const manifest = useManifest();
  return (
    <div className="flex min-h-screen">
      <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white p-4 md:block">
        <NavLink to="/" className="mb-6 block px-2 text-lg font-semibold text-slate-900">
          Toolsuite
        </NavLink>
        <NavLink className={navClass} to="/activity">
          <Activity className="size-4" aria-hidden="true" /> Activity
        </NavLink>
        <div className="mt-4">{manifest.data && <ToolNav tools={manifest.data} />}</div>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between border-b border-slate-200 bg-white px-6">
          <MobileMenu tools={manifest.data ?? []} />
          <span />
          <UserMenu />
        </header>
        <main className="flex-1 p-6">
          {manifest.isError ? <ErrorPanel error={manifest.error} /> : <Outlet />}
        </main>
      </div>
    </div>
  );
}
