const express = require("express");
const app = express();
app.set("trust proxy", 1);
app.get("/", (req, res) => res.send(req.protocol));
app.listen(3000);
