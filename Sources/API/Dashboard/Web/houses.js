// hearth dashboard: log in, then list the caller's houses.
"use strict";

const loginForm = document.getElementById("login");

async function showHouses() {
  loginForm.hidden = true;
  document.getElementById("logout").hidden = false;
  const page = await api("/houses?limit=500");
  const list = document.getElementById("house-list");
  list.replaceChildren(...page.items.map((house) =>
    el("li", {}, el("a", { href: "house.html?id=" + house.id, class: "card" },
      el("strong", {}, house.name), el("span", {}, house.address)))));
  document.getElementById("houses-empty").hidden = page.items.length > 0;
  document.getElementById("houses").hidden = false;
}

loginForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("login-error");
  error.textContent = "";
  try {
    const token = await api("/auth/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ username: loginForm.email.value, password: loginForm.password.value }),
    });
    session.token = token.access_token;
    await showHouses();
  } catch (failure) {
    error.textContent = failure.message;
  }
});

document.getElementById("logout").addEventListener("click", () => {
  session.token = null;
  location.reload();
});

if (session.token) showHouses(); else loginForm.hidden = false;
