// Starts Swagger UI on the API's own spec (a file, not inline, so a strict CSP can allow it).
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  tryItOutEnabled: true,
});

// The exercises' diagrams, from the catalog bundle, in the reader's language.
fetch("/v1/catalog")
  .then((answer) => answer.json())
  .then((catalog) => {
    const gallery = document.getElementById("exercise-diagrams");
    gallery.lang = catalog.language; // the captions and alt texts follow Accept-Language
    for (const exercise of catalog.exercises) {
      const figure = document.createElement("figure");
      const image = document.createElement("img");
      image.src = exercise.diagram_url;
      image.alt = exercise.diagram_alt;
      image.width = 400;
      image.height = 300;
      image.dataset.slug = exercise.slug;
      // Marked once the browser has drawn it, so a test can tell a broken image.
      image.addEventListener("load", () => {
        image.dataset.loaded = String(image.naturalWidth > 0);
      });
      const caption = document.createElement("figcaption");
      caption.textContent = exercise.level ? `${exercise.level}. ${exercise.name}` : exercise.name;
      figure.append(image, caption);
      gallery.append(figure);
    }
  });
