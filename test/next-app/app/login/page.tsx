export default async function Login({
  searchParams,
}: {
  searchParams: Promise<{ next?: string }>;
}) {
  const { next } = await searchParams;
  return <p id="login">Please log in (then back to {next ?? '/'})</p>;
}
