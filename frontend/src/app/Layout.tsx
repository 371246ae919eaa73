/**
 * The frame of every page: the tools the caller may use down the side (behind a menu button on
 * a narrow screen), who they are on top, and a link past both to the page's content. Another
 * page's heading takes the focus once it is shown (`useFocusOnNavigation`).
 */
import { Activity, LayoutGrid, LogOut, Menu, X } from "lucide-react";
import { useRef, useState } from "react";
import { Link, NavLink, Outlet, useLocation } from "react-router";

import type { ToolManifest } from "@/api/types";
import { ErrorPanel } from "@/components/Feedback";
import { ToolIcon } from "@/components/ToolIcon";
import { entityRoute, namedAsTool, useManifest, useMe } from "@/features/tools/api";
import { useFocusOnNavigation } from "@/lib/useFocusOnNavigation";
import { usePopover } from "@/lib/usePopover";

import { useSession } from "./auth";

/** The main landmark's id: the skip link's target. */
const MAIN = "content";

function navClass({ isActive }: { isActive: boolean }): string {
  return `flex items-center gap-2 rounded-md px-2 py-1.5 text-sm ${
    isActive ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-700 hover:bg-slate-100"
  }`;
}

/**
 * What the side bar and the narrow screen's menu lead to: home, activity, and each tool's
 * lists (a tool's own page is its first list). Activity is the tools' the caller may read: with
 * none (or while they are read) it is not offered.
 */
function Navigation({ tools }: { tools: ToolManifest[] }) {
  return (
    <nav aria-label="Tools" className="space-y-4">
      <ul className="space-y-0.5">
        <li>
          <NavLink className={navClass} to="/" end>
            <LayoutGrid className="size-4" aria-hidden="true" /> All tools
          </NavLink>
        </li>
        {tools.length > 0 && (
          <li>
            <NavLink className={navClass} to="/activity">
              <Activity className="size-4" aria-hidden="true" /> Activity
            </NavLink>
          </li>
        )}
      </ul>
      {tools.map((tool) => {
        // A tool of one list named as it is that list, by its icon and name, said once.
        const [only] = tool.entities;
        if (tool.entities.length === 1 && only && namedAsTool(tool, only)) {
          return (
            <ul key={tool.slug}>
              <li>
                <NavLink className={navClass} to={entityRoute(tool, only)}>
                  <ToolIcon name={tool.icon} className="size-4" /> {only.label_plural}
                </NavLink>
              </li>
            </ul>
          );
        }
        return (
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
        );
      })}
    </nav>
  );
}

function Brand({ className = "" }: { className?: string }) {
  return (
    <Link to="/" className={`text-lg font-semibold text-slate-900 ${className}`}>
      Toolsuite
    </Link>
  );
}

/**
 * On a narrow screen the side bar is hidden: its links behind a "Menu" button, which opens and
 * closes them (a disclosure). They close on Escape (the focus back on the button), on a click
 * or the focus outside them, and once a link is followed.
 */
function MobileMenu({ tools }: { tools: ToolManifest[] }) {
  const { open, close, root, trigger, panelId } = usePopover();
  const location = useLocation();
  const [shownAt, setShownAt] = useState(location.key);
  if (shownAt !== location.key) {
    setShownAt(location.key);
    close();
  }
  const Icon = open ? X : Menu;
  return (
    <div ref={root} className="relative flex items-center gap-2 md:hidden">
      <button
        type="button"
        className="-ml-1.5 rounded-md p-1.5 text-slate-700 hover:bg-slate-100"
        aria-label="Menu"
        {...trigger}
      >
        <Icon className="size-5" aria-hidden="true" />
      </button>
      <Brand />
      {open && (
        <div
          id={panelId}
          className="absolute top-full left-0 z-20 mt-2 max-h-[calc(100vh-5rem)] w-64 overflow-y-auto rounded-md border border-slate-200 bg-white p-3 shadow-lg"
        >
          <Navigation tools={tools} />
        </div>
      )}
    </div>
  );
}

/** The first thing Tab reaches: past the side bar's links (one per list of every tool) to the page. */
function SkipLink() {
  return (
    <a
      href={`#${MAIN}`}
      className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-30 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-700 focus:shadow-lg focus:ring-2 focus:ring-indigo-600"
      onClick={(event) => {
        // Focus the page itself: the router would read a hash as a navigation of its own.
        event.preventDefault();
        document.getElementById(MAIN)?.focus();
      }}
    >
      Skip to content
    </a>
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
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigation(main);
  return (
    <div className="flex min-h-screen">
      <SkipLink />
      <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white p-4 md:block">
        <Brand className="mb-6 block px-2" />
        <Navigation tools={manifest.data ?? []} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 items-center justify-between gap-3 border-b border-slate-200 bg-white px-6">
          <MobileMenu tools={manifest.data ?? []} />
          <span />
          <UserMenu />
        </header>
        <main ref={main} id={MAIN} tabIndex={-1} className="flex-1 p-6 focus:outline-none">
          {manifest.isError ? <ErrorPanel error={manifest.error} /> : <Outlet />}
        </main>
      </div>
    </div>
  );
}
