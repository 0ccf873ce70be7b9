from django.http import HttpRequest, HttpResponse, JsonResponse

# Machine clients get the API's error shape; people get a short page.
_API_PREFIXES = ("/api/", "/_allauth/")


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(_API_PREFIXES):
        return JsonResponse({"code": "not_found", "message": "Not found.", "detail": None}, status=404)
    return HttpResponse("Not found.", status=404, content_type="text/plain; charset=utf-8")
