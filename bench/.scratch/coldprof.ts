import { installBuilt } from "../cold.js"
console.log(installBuilt())
