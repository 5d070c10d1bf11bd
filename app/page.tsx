import { redirect } from "next/navigation";
import { currentSession } from "./_server/request";

export default async function Home() {
  const s = await currentSession();
  redirect(s.state === "active" ? "/teams" : "/sign-in");
}
