// Imported first by a command that loads the configuration and then much else (synth): starts the
// worker of prefetch.ts before the other modules load, so reading a large organization's team files
// overlaps loading cdktf.
import { prefetchTeamFiles } from "./prefetch";

prefetchTeamFiles();
